import { forbidden, isId, keyMayActFor, refuse, requireScope, settle, type PageArgs, type UserError } from "@o2o/runtime";
import { noteStockChange } from "./cache-invalidation.ts";
import type { StoresContext } from "./context.ts";
import { storeStock } from "./directory.ts";
import type { Stock as StockModel, Store as StoreModel } from "./generated/prisma/client.ts";

/**
 * Partner inventory: exact stock levels read (`inventory:read`) and set (`inventory:write`), each bound
 * to the caller's own retailer's stores (platform keys: every store). Members never hold these scopes.
 */
export const MAX_STOCK_LEVEL = 1_000_000;

/** `Store.stock`: FORBIDDEN unless the key may read this store's inventory. */
export function boundStoreStock(ctx: StoresContext, store: StoreModel, args: PageArgs) {
  requireScope(ctx.caller, "inventory:read");
  if (!keyMayActFor(ctx.caller, "inventory:read", store.retailerId)) throw forbidden("This key may read only its own retailer's stores' stock.");
  return storeStock(ctx, store, args);
}

export interface SetStockLevelAnswer {
  stockItem: StockModel | null;
  userErrors: UserError[];
}

/** Upserts one stock row. Another retailer's store answers like an unknown one (no existence leak). */
export async function setStockLevel(ctx: StoresContext, input: { storeId: string; productId: string; quantity: number }): Promise<SetStockLevelAnswer> {
  requireScope(ctx.caller, "inventory:write");
  return settle<SetStockLevelAnswer>(
    async () => {
      if (!Number.isInteger(input.quantity) || input.quantity < 0 || input.quantity > MAX_STOCK_LEVEL)
        refuse("INVALID_QUANTITY", `quantity must be a whole number from 0 to ${MAX_STOCK_LEVEL}.`, ["input", "quantity"]);
      if (!isId(input.productId)) refuse("UNKNOWN_PRODUCT", "productId is not a product id.", ["input", "productId"]);
      const store = isId(input.storeId) ? await ctx.prisma.store.findUnique({ where: { id: input.storeId.toLowerCase() } }) : null;
      if (!store || !keyMayActFor(ctx.caller, "inventory:write", store.retailerId)) return refuse("STORE_NOT_FOUND", "No store of yours has that id.", ["input", "storeId"]);
      const key = { storeId: store.id, productId: input.productId.toLowerCase() };
      const stockItem = await ctx.stockTx(async (tx) => {
        noteStockChange(tx, [key.productId]);
        return tx.stock.upsert({ where: { storeId_productId: key }, create: { ...key, quantity: input.quantity }, update: { quantity: input.quantity } });
      });
      return { stockItem, userErrors: [] };
    },
    (userErrors) => ({ stockItem: null, userErrors }),
  );
}
