-- Retailer.orders: a partner's orders (credited to its stores, or placed through its app), newest first,
-- keyset-paged like Member.orders.
ALTER TABLE "payments"."customer_order" ADD COLUMN "placed_via_retailer_id" UUID;
CREATE INDEX "customer_order_source_retailer_id_placed_at_id_idx" ON "payments"."customer_order"("source_retailer_id", "placed_at" DESC, "id");
CREATE INDEX "customer_order_placed_via_retailer_id_placed_at_id_idx" ON "payments"."customer_order"("placed_via_retailer_id", "placed_at" DESC, "id");
