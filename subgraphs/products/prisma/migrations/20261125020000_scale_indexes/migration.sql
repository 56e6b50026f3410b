-- Scale (issue 7): `products(filter: {categorySlug | brandId})` pages by keyset on sku (ORDER BY sku, sku > cursor).
-- Indexes that lead with the filter column and continue with sku serve the filter, the order and the cursor in one
-- range scan: 50 rows read for a page of 50, at any depth and in any category size. The (…, id) indexes they
-- replace matched no query (nothing lists products by id); the new ones serve the foreign-key lookups as well.
DROP INDEX "products"."product_category_id_id_idx";
DROP INDEX "products"."product_brand_id_id_idx";
CREATE INDEX "product_category_id_sku_idx" ON "products"."product"("category_id", "sku");
CREATE INDEX "product_brand_id_sku_idx" ON "products"."product"("brand_id", "sku");
