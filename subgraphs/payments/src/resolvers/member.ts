import type { MemberResolvers } from "../generated/graphql.ts";
import { memberOrders } from "../orders.ts";

export const Member: MemberResolvers = {
  // Members owns Member; payments only adds `orders`, so a reference is the representation itself.
  orders: (member, args, ctx) => memberOrders(ctx, member, args),
};
