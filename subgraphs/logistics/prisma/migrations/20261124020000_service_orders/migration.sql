-- Service centres: a catalogue of services with rates per store, booked service orders with their status path,
-- the at-your-door legs (pickup at the member's door, return to it) and every status change of both.
CREATE TYPE "logistics"."ServiceCategory" AS ENUM ('REPAIR', 'DRY_CLEANING', 'SHOE_CARE', 'JEWELLERY_CARE', 'ALTERATION');
CREATE TYPE "logistics"."ServiceOrderStatus" AS ENUM ('BOOKED', 'RECEIVED', 'IN_PROGRESS', 'READY', 'COLLECTED', 'DELIVERED', 'CANCELLED');
CREATE TYPE "logistics"."ServiceLegKind" AS ENUM ('PICKUP', 'RETURN');
CREATE TYPE "logistics"."ServiceLegStatus" AS ENUM ('SCHEDULED', 'IN_TRANSIT', 'COMPLETED');
CREATE TYPE "logistics"."ServiceQuoteStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED');
CREATE TYPE "logistics"."ServicePaymentState" AS ENUM ('UNPAID', 'CHECKED_OUT', 'AUTHORIZED', 'PAID', 'REFUNDED');

CREATE TABLE "logistics"."service_offering" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" "logistics"."ServiceCategory" NOT NULL,
    "turnaround_days" INTEGER NOT NULL,
    CONSTRAINT "service_offering_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_offering_turnaround_days_check" CHECK ("turnaround_days" >= 0)
);
CREATE UNIQUE INDEX "service_offering_code_key" ON "logistics"."service_offering"("code");

CREATE TABLE "logistics"."service_rate" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "offering_id" UUID NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "at_your_door" BOOLEAN NOT NULL DEFAULT false,
    "door_fee_amount" INTEGER,
    CONSTRAINT "service_rate_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_rate_price_check" CHECK ("price_amount" >= 0),
    CONSTRAINT "service_rate_door_fee_check" CHECK (("at_your_door" AND "door_fee_amount" IS NOT NULL AND "door_fee_amount" >= 0) OR (NOT "at_your_door" AND "door_fee_amount" IS NULL))
);
CREATE UNIQUE INDEX "service_rate_store_id_offering_id_key" ON "logistics"."service_rate"("store_id", "offering_id");
ALTER TABLE "logistics"."service_rate" ADD CONSTRAINT "service_rate_offering_id_fkey" FOREIGN KEY ("offering_id") REFERENCES "logistics"."service_offering"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "logistics"."service_order" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "offering_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "status" "logistics"."ServiceOrderStatus" NOT NULL DEFAULT 'BOOKED',
    "slot_starts_at" TIMESTAMPTZ(3) NOT NULL,
    "slot_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "door_fee_amount" INTEGER NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL,
    "at_your_door" BOOLEAN NOT NULL DEFAULT false,
    "address" JSONB,
    "quote_amount" INTEGER,
    "quote_reason" TEXT,
    "quote_status" "logistics"."ServiceQuoteStatus",
    "quoted_at" TIMESTAMPTZ(3),
    "quote_decided_at" TIMESTAMPTZ(3),
    "payment_state" "logistics"."ServicePaymentState" NOT NULL DEFAULT 'UNPAID',
    "payment_order_id" UUID,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_order_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_order_slot_check" CHECK ("slot_ends_at" > "slot_starts_at"),
    CONSTRAINT "service_order_amounts_check" CHECK ("price_amount" >= 0 AND "door_fee_amount" >= 0 AND ("quote_amount" IS NULL OR "quote_amount" >= 0)),
    CONSTRAINT "service_order_door_check" CHECK (NOT "at_your_door" OR "address" IS NOT NULL),
    CONSTRAINT "service_order_quote_check" CHECK (("quote_status" IS NULL) = ("quote_amount" IS NULL))
);
CREATE UNIQUE INDEX "service_order_idempotency_key_key" ON "logistics"."service_order"("idempotency_key");
CREATE UNIQUE INDEX "service_order_payment_order_id_key" ON "logistics"."service_order"("payment_order_id");
CREATE INDEX "service_order_member_id_created_at_id_idx" ON "logistics"."service_order"("member_id", "created_at" DESC, "id");
CREATE INDEX "service_order_store_id_slot_starts_at_idx" ON "logistics"."service_order"("store_id", "slot_starts_at");
ALTER TABLE "logistics"."service_order" ADD CONSTRAINT "service_order_offering_id_fkey" FOREIGN KEY ("offering_id") REFERENCES "logistics"."service_offering"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "logistics"."service_order_event" (
    "id" UUID NOT NULL,
    "service_order_id" UUID NOT NULL,
    "status" "logistics"."ServiceOrderStatus" NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "service_order_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "service_order_event_service_order_id_at_idx" ON "logistics"."service_order_event"("service_order_id", "at");
ALTER TABLE "logistics"."service_order_event" ADD CONSTRAINT "service_order_event_service_order_id_fkey" FOREIGN KEY ("service_order_id") REFERENCES "logistics"."service_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "logistics"."service_leg" (
    "id" UUID NOT NULL,
    "service_order_id" UUID NOT NULL,
    "kind" "logistics"."ServiceLegKind" NOT NULL,
    "status" "logistics"."ServiceLegStatus" NOT NULL DEFAULT 'SCHEDULED',
    "address" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_leg_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "service_leg_service_order_id_kind_key" ON "logistics"."service_leg"("service_order_id", "kind");
ALTER TABLE "logistics"."service_leg" ADD CONSTRAINT "service_leg_service_order_id_fkey" FOREIGN KEY ("service_order_id") REFERENCES "logistics"."service_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "logistics"."service_leg_event" (
    "id" UUID NOT NULL,
    "leg_id" UUID NOT NULL,
    "status" "logistics"."ServiceLegStatus" NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "service_leg_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "service_leg_event_leg_id_at_idx" ON "logistics"."service_leg_event"("leg_id", "at");
ALTER TABLE "logistics"."service_leg_event" ADD CONSTRAINT "service_leg_event_leg_id_fkey" FOREIGN KEY ("leg_id") REFERENCES "logistics"."service_leg"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
