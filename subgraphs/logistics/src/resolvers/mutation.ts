import { forbidden, isId, isService, type Caller } from "@o2o/runtime";
import type { MutationResolvers } from "../generated/graphql.ts";
import { handOver } from "../handover.ts";
import { holdFulfillment, releaseHold } from "../holds.ts";
import { confirmDelivery, dispatch, markReady } from "../lifecycle.ts";
import { passportMatches } from "../passports.ts";

/** Internal fields answer the payments service only (the supergraph hides them; this guards direct calls). */
function requirePayments(caller: Caller): void {
  if (!isService(caller, "payments")) throw forbidden("Only the payments service holds and releases fulfilments.");
}

export const Mutation: MutationResolvers = {
  markFulfillmentReady: (_, { fulfillmentId }, ctx) => markReady(ctx, fulfillmentId),
  handOverFulfillment: (_, { input }, ctx) => handOver(ctx, input, (memberId, number) => passportMatches(ctx.peers, memberId, number)),
  dispatchDelivery: (_, { fulfillmentId, note }, ctx) => dispatch(ctx, fulfillmentId, note ?? null),
  confirmDelivery: (_, { fulfillmentId }, ctx) => confirmDelivery(ctx, fulfillmentId),
  holdFulfillment: (_, { input }, ctx) => {
    requirePayments(ctx.caller);
    return holdFulfillment(ctx, input);
  },
  releaseFulfillment: async (_, { orderId }, ctx) => {
    requirePayments(ctx.caller);
    // Nothing can be held for an id that is not a UUID: releasing it is the same no-op as any other.
    if (isId(orderId)) await ctx.slotTx((tx) => releaseHold(tx, orderId.toLowerCase()));
    return true;
  },
};
