import type { RetailerResolvers } from "../generated/graphql.ts";
import { retailerOrders } from "../orders.ts";

export const Retailer: RetailerResolvers = {
  // Stores owns Retailer; payments only adds `orders`, so a reference is the representation itself.
  orders: (retailer, args, ctx) => retailerOrders(ctx, retailer, args),
};
