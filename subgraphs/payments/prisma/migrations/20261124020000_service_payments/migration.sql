-- Service orders (logistics' ServiceOrder) are paid through the same orders: channel SERVICE, and an order line that
-- is a service rather than a product (no product, a description instead).
-- ADD VALUE runs inside the migration transaction: allowed, as nothing in this transaction uses the new value.
ALTER TYPE "payments"."OrderChannel" ADD VALUE 'SERVICE';
ALTER TABLE "payments"."order_line"
    ALTER COLUMN "product_id" DROP NOT NULL,
    ADD COLUMN "description" TEXT,
    ADD CONSTRAINT "order_line_product_or_description_check" CHECK ("product_id" IS NOT NULL OR "description" IS NOT NULL);
