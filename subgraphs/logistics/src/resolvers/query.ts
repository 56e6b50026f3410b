import { isId } from "@o2o/runtime";
import type { QueryResolvers } from "../generated/graphql.ts";
import { requireStaff } from "../payloads.ts";

export const Query: QueryResolvers = {
  fulfillment: (_, { id }, ctx) => {
    requireStaff(ctx.caller);
    return isId(id) ? ctx.loaders.fulfillmentById.load(id.toLowerCase()) : null;
  },
};
