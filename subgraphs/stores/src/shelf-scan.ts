import { isDisplayOnlyStore, isId } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { popUpPeriod } from "./directory.ts";
import type { StoreModel } from "./generated/prisma/models.ts";

/**
 * Scan-and-buy: the products subgraph answers `Store.scan(barcode)` with a `ShelfScan` keyed by store and product;
 * stores adds what the shelf holds and whether it may be bought there today. Both come from per-request loaders,
 * so a list of scans costs one statement for the stores and one for the stock rows.
 */
export interface ShelfScanRef {
  storeId: string;
  productId: string;
}

export interface ShelfScanParent extends ShelfScanRef {
  quantity: number;
  sellable: boolean;
}

/** The TypeScript twin of `sellsOffShelfSql` (availability.ts) for one loaded store row. */
export function sellsOffShelf(store: StoreModel, today: string): boolean {
  if (isDisplayOnlyStore(store) || ["SERVICE_CENTRE", "PICKUP_POINT"].includes(store.format)) return false;
  const popUp = popUpPeriod(store);
  return store.format !== "POP_UP" || (popUp !== null && today >= popUp.opensOn && today <= popUp.closesOn);
}

export async function shelfScan(ctx: StoresContext, ref: ShelfScanRef): Promise<ShelfScanParent | null> {
  if (!isId(ref.storeId) || !isId(ref.productId)) return null;
  const key = { storeId: ref.storeId.toLowerCase(), productId: ref.productId.toLowerCase() };
  const [store, stock] = await Promise.all([ctx.loaders.storeById.load(key.storeId), ctx.loaders.stockLevel.load(key)]);
  if (!store) return null;
  const quantity = stock?.quantity ?? 0;
  return { ...key, quantity, sellable: quantity > 0 && sellsOffShelf(store, ctx.today) };
}
