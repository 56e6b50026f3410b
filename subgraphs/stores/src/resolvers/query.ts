import { findRetailer, findStore, listRetailers, listStores } from "../directory.ts";
import type { QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  store: (_, { id }, ctx) => findStore(ctx, id),
  stores: (_, args, ctx) => listStores(ctx, args),
  retailers: (_, __, ctx) => listRetailers(ctx),
  retailer: (_, { id }, ctx) => findRetailer(ctx, id),
};
