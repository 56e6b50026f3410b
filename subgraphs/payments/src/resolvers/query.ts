import type { QueryResolvers } from "../generated/graphql.ts";
import { findOrder } from "../orders.ts";
import { attributedSales } from "../attribution.ts";
import { exitCheck } from "../exit-check.ts";

export const Query: QueryResolvers = {
  order: (_, args, ctx) => findOrder(ctx, args.id),
  exitCheck: (_, args, ctx) => exitCheck(ctx, args.storeId, args.orderId),
  attributedSales: (_, { requests }, ctx) => attributedSales(ctx, requests),
};
