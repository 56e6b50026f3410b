import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("LogisticsContext", {
  Store: "../parents.ts#EntityRef",
  Order: "../parents.ts#EntityRef",
  PickupSlot: "../parents.ts#SlotParent",
  Fulfillment: "./prisma/models.ts#FulfillmentModel",
  TrackingEvent: "./prisma/models.ts#TrackingEventModel",
  FulfillmentPayload: "../payloads.ts#FulfillmentResult",
  FulfillmentHold: "../holds.ts#HoldAnswer",
});
