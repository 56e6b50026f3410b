import { forbidden, isId } from "@o2o/runtime";
import type { MemberResolvers } from "../generated/graphql.ts";
import { callerMemberId, memberOrders } from "../orders.ts";
import { walletOf } from "../wallet.ts";

export const Member: MemberResolvers = {
  // Members owns Member; payments only adds `orders` and `wallet`, so a reference is the representation itself.
  orders: (member, args, ctx) => memberOrders(ctx, member, args),
  wallet: (member, _, ctx) => {
    const callerId = callerMemberId(ctx);
    if (!isId(member.id) || member.id.toLowerCase() !== callerId) throw forbidden("Only the member themself may see their wallet.");
    return walletOf(ctx, callerId);
  },
};
