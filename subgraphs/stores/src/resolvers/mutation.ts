import { forbidden, isId, isService, type Caller } from "@o2o/runtime";
import { createApiKey, revokeApiKey, rotateApiKey } from "../api-keys.ts";
import type { MutationResolvers } from "../generated/graphql.ts";
import { setStockLevel } from "../inventory.ts";
import { requireAdmin } from "./admin.ts";
import { parseGeoPoint } from "../geo.ts";
import { reserveStock } from "../reservations.ts";
import { release } from "../settlement.ts";

// Internal (@inaccessible) fields: only payments' checkout may take or give back stock.
const onlyPayments = (caller: Caller) => {
  if (!isService(caller, "payments")) throw forbidden("Only the payments service reserves stock.");
};

export const Mutation: MutationResolvers = {
  setStockLevel: (_, { input }, ctx) => setStockLevel(ctx, input),
  createApiKey: (_, { input }, ctx) => (requireAdmin(ctx.caller), createApiKey(ctx, input)),
  rotateApiKey: (_, { id }, ctx) => (requireAdmin(ctx.caller), rotateApiKey(ctx, id)),
  revokeApiKey: (_, { id }, ctx) => (requireAdmin(ctx.caller), revokeApiKey(ctx, id)),
  reserveStock: (_, args, ctx) => {
    onlyPayments(ctx.caller);
    return reserveStock(ctx, args.orderId, args.lines, args.deliverTo ? { ...parseGeoPoint(args.deliverTo, "deliverTo"), withinKm: args.deliverWithinKm } : null, args.ttlSeconds ?? 900);
  },
  releaseStock: async (_, { orderId }, ctx) => {
    onlyPayments(ctx.caller);
    // Nothing was ever reserved under a malformed id: releasing it is the same no-op as an unknown order.
    if (!isId(orderId)) return true;
    const released = await ctx.stockTx((tx) => release(tx, orderId.toLowerCase(), "CANCELLED", ["HELD"]));
    if (released) ctx.kick();
    return true;
  },
};
