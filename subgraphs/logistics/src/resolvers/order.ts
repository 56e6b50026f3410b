import type { OrderResolvers } from "../generated/graphql.ts";
import { orderFulfillment } from "../fulfillments.ts";

export const Order: OrderResolvers = {
  // Payments owns the order; logistics only needs its id.
  __resolveReference: (ref) => ({ id: ref.id }),
  fulfillment: (order, _, ctx) => orderFulfillment(ctx, order),
};
