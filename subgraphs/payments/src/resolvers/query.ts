import type { QueryResolvers } from "../generated/graphql.ts";
import { findOrder } from "../orders.ts";

export const Query: QueryResolvers = {
  order: (_, args, ctx) => findOrder(ctx, args.id),
};
