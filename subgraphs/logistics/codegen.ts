import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql; parents are Prisma's models (mappers) or local shapes.
const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#LogisticsContext",
        scalars: { Date: "string", DateTime: "Date" },
        mappers: {
          Store: "../parents.ts#EntityRef",
          Order: "../parents.ts#EntityRef",
          PickupSlot: "../parents.ts#SlotParent",
          Fulfillment: "./prisma/models.ts#FulfillmentModel",
          TrackingEvent: "./prisma/models.ts#TrackingEventModel",
        },
      },
    },
  },
};
export default config;
