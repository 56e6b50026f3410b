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
  Member: "../parents.ts#EntityRef",
  ServiceRate: "../services/parents.ts#ServiceRateParent",
  ServiceOffering: "./prisma/models.ts#ServiceOfferingModel",
  ServiceSlot: "../services/parents.ts#ServiceSlotParent",
  ServiceOrder: "./prisma/models.ts#ServiceOrderModel",
  ServiceQuote: "../services/parents.ts#ServiceQuoteParent",
  ServiceLeg: "./prisma/models.ts#ServiceLegModel",
  ServiceOrderEvent: "./prisma/models.ts#ServiceOrderEventModel",
  ServiceLegEvent: "./prisma/models.ts#ServiceLegEventModel",
  ServiceOrderConnection: "../services/parents.ts#ServiceOrderConnectionParent",
  ServiceOrderEdge: "../services/parents.ts#ServiceOrderEdgeParent",
  ServiceOrderPayload: "../services/parents.ts#ServiceOrderResult",
});
