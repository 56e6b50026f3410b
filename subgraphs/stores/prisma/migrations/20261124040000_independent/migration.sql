-- Independent stores (issue 6): retailer kind, store floor area, stock adjustments with reasons, replenishment orders.
CREATE TYPE "stores"."RetailerKind" AS ENUM ('CHAIN', 'DEPARTMENT_STORE', 'SUPERMARKET', 'CONVENIENCE', 'BRAND', 'SERVICES', 'INDEPENDENT');
ALTER TABLE "stores"."retailer" ADD COLUMN "kind" "stores"."RetailerKind" NOT NULL DEFAULT 'CHAIN';
ALTER TABLE "stores"."store" ADD COLUMN "floor_area_m2" INTEGER CHECK ("floor_area_m2" > 0);

-- Sales per store (assortment advice reads committed reservations by store and product).
CREATE INDEX "stock_reservation_line_store_id_product_id_idx" ON "stores"."stock_reservation_line"("store_id", "product_id");

CREATE TYPE "stores"."StockAdjustmentReason" AS ENUM ('DAMAGED', 'EXPIRED', 'THEFT', 'COUNT_CORRECTION', 'RETURNED', 'REPLENISHMENT', 'OTHER');

CREATE TABLE "stores"."stock_adjustment" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "delta" INTEGER NOT NULL CHECK ("delta" <> 0),
    "reason" "stores"."StockAdjustmentReason" NOT NULL,
    "quantity_before" INTEGER NOT NULL CHECK ("quantity_before" >= 0),
    "quantity_after" INTEGER NOT NULL CHECK ("quantity_after" >= 0),
    "note" TEXT,
    "key_id" TEXT,
    "count_id" UUID,
    "replenishment_order_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_adjustment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stock_adjustment_adds_up" CHECK ("quantity_after" = "quantity_before" + "delta")
);
CREATE INDEX "stock_adjustment_store_id_created_at_id_idx" ON "stores"."stock_adjustment"("store_id", "created_at", "id");
ALTER TABLE "stores"."stock_adjustment" ADD CONSTRAINT "stock_adjustment_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TYPE "stores"."ReplenishmentStatus" AS ENUM ('SUBMITTED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED');

CREATE TABLE "stores"."replenishment_order" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "store_id" UUID NOT NULL,
    "status" "stores"."ReplenishmentStatus" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "total_amount" INTEGER NOT NULL CHECK ("total_amount" >= 0),
    "expected_delivery_on" DATE NOT NULL,
    "key_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "replenishment_order_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "replenishment_order_number_key" ON "stores"."replenishment_order"("number");
CREATE INDEX "replenishment_order_store_id_created_at_id_idx" ON "stores"."replenishment_order"("store_id", "created_at", "id");
ALTER TABLE "stores"."replenishment_order" ADD CONSTRAINT "replenishment_order_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "stores"."replenishment_order_line" (
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL CHECK ("quantity" > 0),
    "unit_cost_amount" INTEGER NOT NULL CHECK ("unit_cost_amount" >= 0),
    CONSTRAINT "replenishment_order_line_pkey" PRIMARY KEY ("order_id", "position")
);
ALTER TABLE "stores"."replenishment_order_line" ADD CONSTRAINT "replenishment_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "stores"."replenishment_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "stores"."replenishment_event" (
    "order_id" UUID NOT NULL,
    "status" "stores"."ReplenishmentStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT,
    "note" TEXT,
    CONSTRAINT "replenishment_event_pkey" PRIMARY KEY ("order_id", "status")
);
ALTER TABLE "stores"."replenishment_event" ADD CONSTRAINT "replenishment_event_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "stores"."replenishment_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
