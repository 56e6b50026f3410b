import type { StockItemResolvers, StockLevelResolvers, StoreAvailabilityResolvers } from "../generated/graphql.ts";

// Rows carry ids; stores load through the request's storeById loader (one statement for all rows).
export const StoreAvailability: StoreAvailabilityResolvers = {
  store: async (row, _, ctx) => (await ctx.loaders.storeById.load(row.storeId))!,
};

export const StockLevel: StockLevelResolvers = {
  store: async (row, _, ctx) => (await ctx.loaders.storeById.load(row.storeId))!,
};

export const StockItem: StockItemResolvers = {
  // A reference to the products subgraph's Product.
  product: (row) => ({ id: row.productId }),
};
