import type { MemberResolvers } from "../generated/graphql.ts";
import { memberOrders } from "../orders.ts";
import { memberWallet } from "../wallet.ts";

export const Member: MemberResolvers = {
  // Members owns Member; payments only adds `orders` and `wallet`, so a reference is the representation itself.
  orders: (member, args, ctx) => memberOrders(ctx, member, args),
  wallet: (member, _, ctx) => memberWallet(ctx, member),
};
