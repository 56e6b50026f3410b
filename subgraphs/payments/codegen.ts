import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("PaymentsContext", {
  Order: "./prisma/models.ts#CustomerOrderModel",
  OrderLine: "../parents.ts#OrderLineParent",
  Member: "../parents.ts#EntityRef",
  Product: "../parents.ts#EntityRef",
  Store: "../parents.ts#EntityRef",
});
