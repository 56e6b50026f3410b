-- Stock reservations (checkout) and the guard that makes overselling impossible even for a bug: stock >= 0.
ALTER TABLE "stores"."stock" ADD CONSTRAINT "stock_quantity_not_negative" CHECK ("quantity" >= 0);

CREATE TYPE "stores"."ReservationStatus" AS ENUM ('HELD', 'COMMITTED', 'RELEASED');

CREATE TABLE "stores"."stock_reservation" (
    "order_id" UUID NOT NULL,
    "status" "stores"."ReservationStatus" NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "release_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    CONSTRAINT "stock_reservation_pkey" PRIMARY KEY ("order_id")
);
CREATE INDEX "stock_reservation_status_expires_at_idx" ON "stores"."stock_reservation"("status", "expires_at");

CREATE TABLE "stores"."stock_reservation_line" (
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "product_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL CHECK ("quantity" > 0),
    CONSTRAINT "stock_reservation_line_pkey" PRIMARY KEY ("order_id", "position")
);
CREATE INDEX "stock_reservation_line_product_id_idx" ON "stores"."stock_reservation_line"("product_id");
ALTER TABLE "stores"."stock_reservation_line" ADD CONSTRAINT "stock_reservation_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "stores"."stock_reservation"("order_id") ON DELETE RESTRICT ON UPDATE CASCADE;
