import { forbidden, isId, isService } from "@o2o/runtime";
import type { MutationResolvers } from "../generated/graphql.ts";
import { holdFulfillment, releaseHold } from "../holds.ts";
import { confirmDelivery, dispatch, handOver, markReady } from "../lifecycle.ts";
import { passportMatches } from "../passports.ts";

export const Mutation: MutationResolvers = {
  markFulfillmentReady: (_, { fulfillmentId }, ctx) => markReady(ctx, fulfillmentId),
  handOverFulfillment: (_, { input }, ctx) => handOver(ctx, input, (memberId, number) => passportMatches(ctx.peers, memberId, number)),
  dispatchDelivery: (_, { fulfillmentId, note }, ctx) => dispatch(ctx, fulfillmentId, note ?? null),
  confirmDelivery: (_, { fulfillmentId }, ctx) => confirmDelivery(ctx, fulfillmentId),
  holdFulfillment: (_, { input }, ctx) => {
    if (!isService(ctx.caller, "payments")) throw forbidden("Only the payments service holds fulfilments.");
    return holdFulfillment(ctx, input);
  },
  releaseFulfillment: async (_, { orderId }, ctx) => {
    if (!isService(ctx.caller, "payments")) throw forbidden("Only the payments service releases fulfilments.");
    if (!isId(orderId)) return true;
    await ctx.prisma.$transaction((tx) => releaseHold(tx, orderId.toLowerCase(), "Checkout did not complete"));
    return true;
  },
};
