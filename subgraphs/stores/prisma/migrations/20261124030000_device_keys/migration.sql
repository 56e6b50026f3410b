-- Device keys (checkout-free gates, shelf sensors): an API key may be bound to one store of its retailer.
ALTER TABLE "stores"."api_key" ADD COLUMN "store_id" UUID;
ALTER TABLE "stores"."api_key" ADD CONSTRAINT "api_key_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
