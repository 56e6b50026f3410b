-- payments: members' orders and their lines
CREATE SCHEMA IF NOT EXISTS "payments";

CREATE TYPE "payments"."OrderChannel" AS ENUM ('ONLINE', 'APP', 'IN_STORE_SCAN', 'PARTNER_AGENCY', 'CHECKOUT_FREE');
CREATE TYPE "payments"."OrderStatus" AS ENUM ('PENDING_PAYMENT', 'PAID', 'CANCELLED', 'REFUNDED', 'COMPLETED');

CREATE TABLE "payments"."customer_order" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "member_id" UUID NOT NULL,
    "channel" "payments"."OrderChannel" NOT NULL,
    "status" "payments"."OrderStatus" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "subtotal_amount" INTEGER NOT NULL,
    "tax_free_amount" INTEGER NOT NULL DEFAULT 0,
    "total_amount" INTEGER NOT NULL,
    "attributed_store_id" UUID,
    "idempotency_key" TEXT,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "customer_order_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "customer_order_subtotal_amount_check" CHECK ("subtotal_amount" >= 0),
    CONSTRAINT "customer_order_tax_free_amount_check" CHECK ("tax_free_amount" >= 0 AND "tax_free_amount" <= "subtotal_amount"),
    CONSTRAINT "customer_order_total_amount_check" CHECK ("total_amount" >= 0 AND "total_amount" = "subtotal_amount" - "tax_free_amount")
);
CREATE UNIQUE INDEX "customer_order_number_key" ON "payments"."customer_order"("number");
CREATE UNIQUE INDEX "customer_order_idempotency_key_key" ON "payments"."customer_order"("idempotency_key");
CREATE INDEX "customer_order_member_id_placed_at_id_idx" ON "payments"."customer_order"("member_id", "placed_at" DESC, "id");

CREATE TABLE "payments"."order_line" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "product_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_amount" INTEGER NOT NULL,
    "line_total_amount" INTEGER NOT NULL,
    CONSTRAINT "order_line_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "order_line_position_check" CHECK ("position" > 0),
    CONSTRAINT "order_line_quantity_check" CHECK ("quantity" > 0),
    CONSTRAINT "order_line_unit_price_amount_check" CHECK ("unit_price_amount" >= 0),
    CONSTRAINT "order_line_line_total_amount_check" CHECK ("line_total_amount" >= 0)
);
CREATE UNIQUE INDEX "order_line_order_id_position_key" ON "payments"."order_line"("order_id", "position");
CREATE INDEX "order_line_order_id_idx" ON "payments"."order_line"("order_id");

ALTER TABLE "payments"."order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "payments"."customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
