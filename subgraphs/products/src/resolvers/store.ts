import type { ShelfScanResolvers, StoreResolvers } from "../generated/graphql.ts";
import { scanBarcode, scannedProduct } from "../shelf-scan.ts";

// Products only adds `scan` to stores' Store: the reference is the id the gateway already resolved in stores.
export const Store: StoreResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  scan: (store, { barcode }, ctx) => scanBarcode(ctx, store.id, barcode),
};

export const ShelfScan: ShelfScanResolvers = {
  __resolveReference: async (ref, ctx) => {
    const product = await ctx.loaders.productById.load(ref.productId);
    return product ? { storeId: ref.storeId, productId: product.id, product } : null;
  },
  product: (scan, _, ctx) => scannedProduct(ctx, scan),
  price: async (scan, _, ctx) => {
    const p = await scannedProduct(ctx, scan);
    return { amount: p.priceAmount, currency: p.priceCurrency };
  },
};
