-- stores: retailers, stores (format, address, location, hours, capabilities, pop-up dates) and stock
CREATE SCHEMA IF NOT EXISTS "stores";

CREATE TYPE "stores"."StoreFormat" AS ENUM ('FLAGSHIP', 'DEPARTMENT_STORE', 'SUPERMARKET', 'CONVENIENCE', 'POP_UP', 'SHOWROOM', 'SERVICE_CENTRE', 'PICKUP_POINT');

CREATE TYPE "stores"."StoreCapability" AS ENUM ('TAX_FREE', 'PICKUP', 'CHILLED_STORAGE', 'FROZEN_STORAGE', 'SERVICES', 'DISPLAY_ONLY', 'HOME_DELIVERY', 'CHECKOUT_FREE');

CREATE TABLE "stores"."retailer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "retailer_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "retailer_name_key" ON "stores"."retailer"("name");

CREATE TABLE "stores"."store" (
    "id" UUID NOT NULL,
    "retailer_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" "stores"."StoreFormat" NOT NULL,
    "address_line1" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lng" DOUBLE PRECISION NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'Asia/Tokyo',
    "capabilities" "stores"."StoreCapability"[] DEFAULT ARRAY[]::"stores"."StoreCapability"[],
    "pop_up_opens_on" DATE,
    "pop_up_closes_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "store_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "store_lat_check" CHECK ("lat" BETWEEN -90 AND 90),
    CONSTRAINT "store_lng_check" CHECK ("lng" BETWEEN -180 AND 180),
    CONSTRAINT "store_pop_up_check" CHECK (
        ("format" = 'POP_UP' AND "pop_up_opens_on" IS NOT NULL AND "pop_up_closes_on" IS NOT NULL AND "pop_up_opens_on" <= "pop_up_closes_on")
        OR ("format" <> 'POP_UP' AND "pop_up_opens_on" IS NULL AND "pop_up_closes_on" IS NULL)
    )
);
-- The geo prefilter: a lat/lng bounding box is a range scan on this btree (no PostGIS needed).
CREATE INDEX "store_lat_lng_idx" ON "stores"."store"("lat", "lng");
CREATE INDEX "store_name_id_idx" ON "stores"."store"("name", "id");
CREATE INDEX "store_retailer_id_name_id_idx" ON "stores"."store"("retailer_id", "name", "id");

CREATE TABLE "stores"."opening_hours" (
    "store_id" UUID NOT NULL,
    "day_of_week" SMALLINT NOT NULL,
    "opens" TEXT NOT NULL,
    "closes" TEXT NOT NULL,
    CONSTRAINT "opening_hours_pkey" PRIMARY KEY ("store_id", "day_of_week", "opens"),
    CONSTRAINT "opening_hours_day_of_week_check" CHECK ("day_of_week" BETWEEN 1 AND 7),
    CONSTRAINT "opening_hours_opens_check" CHECK ("opens" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    CONSTRAINT "opening_hours_closes_check" CHECK ("closes" ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' AND "closes" > "opens")
);

CREATE TABLE "stores"."stock" (
    "store_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_pkey" PRIMARY KEY ("store_id", "product_id"),
    CONSTRAINT "stock_quantity_check" CHECK ("quantity" >= 0)
);
CREATE INDEX "stock_product_id_idx" ON "stores"."stock"("product_id");

ALTER TABLE "stores"."store" ADD CONSTRAINT "store_retailer_id_fkey" FOREIGN KEY ("retailer_id") REFERENCES "stores"."retailer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "stores"."opening_hours" ADD CONSTRAINT "opening_hours_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "stores"."stock" ADD CONSTRAINT "stock_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"."store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
