-- Store.conversion (issue 6): the orders attributed to a store over a range of dates, read by store and time.
CREATE INDEX "customer_order_attributed_store_id_placed_at_idx" ON "payments"."customer_order"("attributed_store_id", "placed_at");
