-- logistics: pickup slot plans, fulfilments of orders, their tracking events
CREATE SCHEMA IF NOT EXISTS "logistics";

CREATE TYPE "logistics"."FulfillmentType" AS ENUM ('STORE_PICKUP', 'CONVENIENCE_PICKUP', 'HOME_DELIVERY', 'PICKUP_POINT');
CREATE TYPE "logistics"."FulfillmentStatus" AS ENUM ('PENDING', 'READY_FOR_PICKUP', 'PICKED_UP', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED');

CREATE TABLE "logistics"."pickup_slot_plan" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "start_time" TIME(0) NOT NULL,
    "end_time" TIME(0) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,
    "valid_from" DATE,
    "valid_until" DATE,
    CONSTRAINT "pickup_slot_plan_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "pickup_slot_plan_weekday_check" CHECK ("weekday" BETWEEN 1 AND 7),
    CONSTRAINT "pickup_slot_plan_capacity_check" CHECK ("capacity" > 0),
    CONSTRAINT "pickup_slot_plan_times_check" CHECK ("end_time" > "start_time"),
    CONSTRAINT "pickup_slot_plan_validity_check" CHECK ("valid_from" IS NULL OR "valid_until" IS NULL OR "valid_until" >= "valid_from")
);
CREATE UNIQUE INDEX "pickup_slot_plan_store_id_weekday_start_time_key" ON "logistics"."pickup_slot_plan"("store_id", "weekday", "start_time");
CREATE INDEX "pickup_slot_plan_store_id_weekday_idx" ON "logistics"."pickup_slot_plan"("store_id", "weekday");

CREATE TABLE "logistics"."fulfillment" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "type" "logistics"."FulfillmentType" NOT NULL,
    "status" "logistics"."FulfillmentStatus" NOT NULL DEFAULT 'PENDING',
    "store_id" UUID,
    "slot_starts_at" TIMESTAMPTZ(3),
    "slot_ends_at" TIMESTAMPTZ(3),
    "pickup_code" CHAR(6),
    "requires_passport_check" BOOLEAN NOT NULL DEFAULT false,
    "address" JSONB,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "fulfillment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fulfillment_slot_check" CHECK (("slot_starts_at" IS NULL) = ("slot_ends_at" IS NULL) AND ("slot_ends_at" IS NULL OR "slot_ends_at" > "slot_starts_at")),
    CONSTRAINT "fulfillment_pickup_code_check" CHECK ("pickup_code" IS NULL OR "pickup_code" ~ '^[0-9]{6}$')
);
CREATE UNIQUE INDEX "fulfillment_order_id_key" ON "logistics"."fulfillment"("order_id");
CREATE UNIQUE INDEX "fulfillment_idempotency_key_key" ON "logistics"."fulfillment"("idempotency_key");
CREATE INDEX "fulfillment_store_id_slot_starts_at_idx" ON "logistics"."fulfillment"("store_id", "slot_starts_at");

CREATE TABLE "logistics"."tracking_event" (
    "id" UUID NOT NULL,
    "fulfillment_id" UUID NOT NULL,
    "status" "logistics"."FulfillmentStatus" NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "tracking_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tracking_event_fulfillment_id_at_idx" ON "logistics"."tracking_event"("fulfillment_id", "at");

ALTER TABLE "logistics"."tracking_event" ADD CONSTRAINT "tracking_event_fulfillment_id_fkey" FOREIGN KEY ("fulfillment_id") REFERENCES "logistics"."fulfillment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
