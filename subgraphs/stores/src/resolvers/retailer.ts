import { retailerReference, retailerStores } from "../directory.ts";
import type { RetailerResolvers } from "../generated/graphql.ts";

export const Retailer: RetailerResolvers = {
  // Members and others reference retailers by id: batched, malformed or unknown ids are null.
  __resolveReference: (ref, ctx) => retailerReference(ctx, ref.id),
  stores: (retailer, args, ctx) => retailerStores(ctx, retailer, args),
};
