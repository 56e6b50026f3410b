import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql; parents are Prisma's models (mappers) or the row shapes of
// the raw geo queries.
const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#StoresContext",
        scalars: { Date: "string", DateTime: "Date" },
        mappers: {
          Retailer: "./prisma/models.ts#RetailerModel",
          Store: "./prisma/models.ts#StoreModel",
          OpeningHours: "./prisma/models.ts#OpeningHoursModel",
          StockItem: "./prisma/models.ts#StockModel",
          StockLevel: "./prisma/models.ts#StockModel",
          StoreAvailability: "../availability.ts#AvailabilityRow",
          Product: "../availability.ts#ProductRef",
        },
      },
    },
  },
};
export default config;
