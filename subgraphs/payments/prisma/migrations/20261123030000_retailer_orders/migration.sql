-- Retailer.orders: a partner's orders (credited to its stores), newest first, keyset-paged like Member.orders.
CREATE INDEX "customer_order_source_retailer_id_placed_at_id_idx" ON "payments"."customer_order"("source_retailer_id", "placed_at" DESC, "id");
