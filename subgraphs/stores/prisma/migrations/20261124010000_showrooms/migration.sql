-- Showrooms and pop-ups (issue 6): door-counter footfall, member check-ins, pop-up stock transfers.
CREATE TABLE "stores"."store_visit_count" (
    "store_id" UUID NOT NULL,
    "visit_date" DATE NOT NULL,
    "hour" SMALLINT NOT NULL CHECK ("hour" BETWEEN -1 AND 23),
    "count" INTEGER NOT NULL CHECK ("count" >= 0),
    "key_id" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "store_visit_count_pkey" PRIMARY KEY ("store_id", "visit_date", "hour")
);
ALTER TABLE "stores"."store_visit_count" ADD CONSTRAINT "store_visit_count_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "stores"."store_check_in" (
    "store_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "visit_date" DATE NOT NULL,
    "checked_in_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "store_check_in_pkey" PRIMARY KEY ("store_id", "member_id", "visit_date")
);
CREATE INDEX "store_check_in_store_id_visit_date_idx" ON "stores"."store_check_in"("store_id", "visit_date");
ALTER TABLE "stores"."store_check_in" ADD CONSTRAINT "store_check_in_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "stores"."stock_transfer" (
    "id" UUID NOT NULL,
    "from_store_id" UUID NOT NULL,
    "to_store_id" UUID NOT NULL,
    "key_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_transfer_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stock_transfer_distinct_stores" CHECK ("from_store_id" <> "to_store_id")
);
CREATE INDEX "stock_transfer_from_store_id_created_at_idx" ON "stores"."stock_transfer"("from_store_id", "created_at");
ALTER TABLE "stores"."stock_transfer" ADD CONSTRAINT "stock_transfer_from_store_id_fkey" FOREIGN KEY ("from_store_id") REFERENCES "stores"."store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "stores"."stock_transfer" ADD CONSTRAINT "stock_transfer_to_store_id_fkey" FOREIGN KEY ("to_store_id") REFERENCES "stores"."store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "stores"."stock_transfer_line" (
    "transfer_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL CHECK ("quantity" > 0),
    CONSTRAINT "stock_transfer_line_pkey" PRIMARY KEY ("transfer_id", "position")
);
ALTER TABLE "stores"."stock_transfer_line" ADD CONSTRAINT "stock_transfer_line_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "stores"."stock_transfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
