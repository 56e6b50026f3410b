import { DEMO_STORES, demoProductId, demoStoreId, seedId, withSqlTransaction, type DatabaseTarget } from "@o2o/runtime";

/**
 * What the demo seed lacks for the benchmark: a category with 50 products (the demo's largest holds 14), each in
 * stock in stores near the product-page point, so the 50-product listing asks stores for 50 availabilities that
 * are never empty. Written with SQL straight into the products and stores schemas after the demo seed.
 */
export const BENCH_CATEGORY = "bench-listing";
export const BENCH_PRODUCTS = 50;
/** The product page's point (Hoshi Ginza) and the stores within a few km of it that sell off the shelf. */
export const BENCH_NEAR = { lat: 35.6717, lng: 139.765 } as const;
const NEAR_STORES = ["hoshi-ginza", "hoshi-akihabara", "meridian-nihonbashi", "corner24-kanda", "corner24-hamamatsucho", "yamada-kanda"];

export const benchSku = (i: number) => `BEN-${String(i + 1).padStart(3, "0")}`;

export async function insertBenchData(target: DatabaseTarget): Promise<void> {
  for (const key of NEAR_STORES) if (!DEMO_STORES.some((s) => s.key === key)) throw new Error(`bench data: no demo store ${key}`);
  const brandId = seedId("brand", "Bench Brand");
  const categoryId = seedId("category", BENCH_CATEGORY);
  const skus = Array.from({ length: BENCH_PRODUCTS }, (_, i) => benchSku(i));
  await withSqlTransaction(target, async (tx) => {
    await tx.query(`INSERT INTO products.brand (id, name) VALUES ($1, 'Bench Brand') ON CONFLICT DO NOTHING`, [brandId]);
    await tx.query(`INSERT INTO products.category (id, slug, name) VALUES ($1, $2, 'Benchmark listing') ON CONFLICT DO NOTHING`, [categoryId, BENCH_CATEGORY]);
    await tx.query(
      `INSERT INTO products.product (id, sku, name, description, brand_id, category_id, barcode, price_amount, price_currency, tax_free_eligible, cross_border, temperature_class)
       SELECT id, sku, 'Bench item ' || sku, 'A product of the benchmark listing.', $3, $4, barcode, 1000 + n * 10, 'JPY', true, false, 'AMBIENT'
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, sku, n), LATERAL (SELECT '29' || lpad(n::text, 11, '0') AS barcode) b
       ON CONFLICT DO NOTHING`,
      [skus.map(demoProductId), skus, brandId, categoryId],
    );
    await tx.query(
      `INSERT INTO stores.stock (store_id, product_id, quantity)
       SELECT s, p, 100 FROM unnest($1::uuid[]) s, unnest($2::uuid[]) p
       ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
      [NEAR_STORES.map(demoStoreId), skus.map(demoProductId)],
    );
  });
}
