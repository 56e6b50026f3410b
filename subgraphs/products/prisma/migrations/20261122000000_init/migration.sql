-- products: the catalogue
CREATE SCHEMA IF NOT EXISTS "products";

CREATE TYPE "products"."TemperatureClass" AS ENUM ('AMBIENT', 'CHILLED', 'FROZEN');

CREATE TABLE "products"."brand" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "brand_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "brand_name_key" ON "products"."brand"("name");

CREATE TABLE "products"."category" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "category_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "category_slug_key" ON "products"."category"("slug");

CREATE TABLE "products"."product" (
    "id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "brand_id" UUID NOT NULL,
    "category_id" UUID NOT NULL,
    "barcode" TEXT NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "price_currency" CHAR(3) NOT NULL,
    "tax_free_eligible" BOOLEAN NOT NULL DEFAULT false,
    "cross_border" BOOLEAN NOT NULL DEFAULT false,
    "temperature_class" "products"."TemperatureClass" NOT NULL DEFAULT 'AMBIENT',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "product_price_amount_check" CHECK ("price_amount" >= 0)
);
CREATE UNIQUE INDEX "product_sku_key" ON "products"."product"("sku");
CREATE UNIQUE INDEX "product_barcode_key" ON "products"."product"("barcode");
CREATE INDEX "product_category_id_id_idx" ON "products"."product"("category_id", "id");
CREATE INDEX "product_brand_id_id_idx" ON "products"."product"("brand_id", "id");

ALTER TABLE "products"."product" ADD CONSTRAINT "product_brand_id_fkey" FOREIGN KEY ("brand_id") REFERENCES "products"."brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "products"."product" ADD CONSTRAINT "product_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "products"."category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
