import { isId, requireScope } from "@o2o/runtime";
import type { QueryResolvers } from "../generated/graphql.ts";
import { keyMayWorkOn } from "../store-owners.ts";

export const Query: QueryResolvers = {
  /**
   * Scope orders:read: the member's own fulfilment, or for a key one at its retailer's stores (counter keys holding
   * fulfillment:write too; a platform key: any). Anything else, or an unknown id, is null.
   */
  fulfillment: async (_, { id }, ctx) => {
    requireScope(ctx.caller, "orders:read");
    const f = isId(id) ? await ctx.loaders.fulfillmentById.load(id.toLowerCase()) : null;
    if (!f) return null;
    if (ctx.caller.memberId !== null && f.memberId === ctx.caller.memberId.toLowerCase()) return f;
    return (await keyMayWorkOn(ctx, f, "orders:read")) ? f : null;
  },
};
