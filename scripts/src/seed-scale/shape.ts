/**
 * The shape of the scale data set (`npm run seed-scale`): its database, sizes and a few known points in it.
 * The seeder and the benchmark (`--scale`) both import this, so a benchmark always asks for data that exists.
 * Everything here is deterministic: the same index always yields the same sku, id and place.
 */

/** Where the scale data set lives: its own database, never the demo one. */
export const SCALE_DATABASE_URL = process.env.SCALE_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/o2o_scale";

export const PRODUCTS = 1_000_000;
export const STORES = 10_000;
/** Each product is stocked in STOCK_ROWS / PRODUCTS = 10 stores. */
export const STOCK_ROWS = 10_000_000;
export const STORES_PER_PRODUCT = STOCK_ROWS / PRODUCTS;

/** Scale categories: product i is in category i % SCALE_CATEGORIES, so each holds PRODUCTS / SCALE_CATEGORIES = 10 000. */
export const SCALE_CATEGORIES = 100;

/** The sku of scale product i (0-based), e.g. `SCALE-0000042`; distinct from every demo sku. */
export function scaleSku(i: number): string {
  return `SCALE-${String(i).padStart(7, "0")}`;
}

/** The slug of scale category c (0-based), e.g. `scale-category-07`. */
export function scaleCategorySlug(c: number): string {
  return `scale-category-${String(c).padStart(2, "0")}`;
}

/** A category with 10 000 products: a listing of 50 (and the pages after it) always fills. */
export const SCALE_LISTING_CATEGORY = scaleCategorySlug(0);

/** Tokyo Station: the centre of the densest cluster, with hundreds of stores within 25 km. */
export const SCALE_NEAR = { lat: 35.681236, lng: 139.767125 } as const;

/** A product stocked (quantity > 0) in a sellable store standing at SCALE_NEAR, so `availability(near: SCALE_NEAR)` is never empty. */
export const SCALE_SAMPLE_SKU = scaleSku(0);
