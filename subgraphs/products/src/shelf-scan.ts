import { findByBarcode } from "./catalogue.ts";
import type { ProductsContext } from "./context.ts";
import type { ProductModel } from "./generated/prisma/models.ts";

/**
 * Scan-and-buy (`Store.scan`): a barcode scanned in a store is looked up here; the answer is a `ShelfScan` entity
 * keyed by store and product, so the stores subgraph can add the shelf's units to the same object.
 * Stores keep no price lists of their own yet, so a store's price is the catalogue price (what checkout charges).
 */
export interface ShelfScanParent {
  storeId: string;
  productId: string;
  /** Present when the scan itself built the object; a reference from stores carries only the keys. */
  product?: ProductModel;
}

export async function scanBarcode(ctx: ProductsContext, storeId: string, barcode: string): Promise<ShelfScanParent | null> {
  const product = await findByBarcode(ctx, barcode);
  return product ? { storeId, productId: product.id, product } : null;
}

export async function scannedProduct(ctx: ProductsContext, scan: ShelfScanParent): Promise<ProductModel> {
  return scan.product ?? (await ctx.loaders.productById.load(scan.productId))!;
}
