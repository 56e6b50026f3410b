import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql; parents are Prisma's models (mappers).
const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#ProductsContext",
        mappers: {
          Product: "./prisma/models.ts#ProductModel",
          Brand: "./prisma/models.ts#BrandModel",
          Category: "./prisma/models.ts#CategoryModel",
        },
      },
    },
  },
};
export default config;
