import type { QueryResolvers } from "../generated/graphql.ts";
import { findFulfillment } from "../fulfillments.ts";

export const Query: QueryResolvers = {
  fulfillment: (_, { id }, ctx) => findFulfillment(ctx, id),
};
