import type { ShelfScanResolvers } from "../generated/graphql.ts";
import { shelfScan } from "../shelf-scan.ts";

export const ShelfScan: ShelfScanResolvers = {
  __resolveReference: (ref, ctx) => shelfScan(ctx, ref),
};
