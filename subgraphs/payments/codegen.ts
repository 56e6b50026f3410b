import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql; parents are Prisma's models (mappers) or reference stubs.
const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#PaymentsContext",
        scalars: { DateTime: "Date" },
        mappers: {
          Order: "./prisma/models.ts#CustomerOrderModel",
          OrderLine: "../parents.ts#OrderLineParent",
          Member: "../parents.ts#EntityRef",
          Product: "../parents.ts#EntityRef",
          Store: "../parents.ts#EntityRef",
        },
      },
    },
  },
};
export default config;
