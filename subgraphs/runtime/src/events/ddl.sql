-- Reliable events and idempotent requests (runtime/src/events, runtime/src/idempotency.ts): tables the runtime
-- owns in every subgraph's schema. runtime/src/migrate.ts applies this file to each schema (SCHEMA below) as
-- its migration 20261123000000_events.
CREATE TABLE "SCHEMA"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "SCHEMA"."outbox_event"("event_id");
CREATE INDEX "outbox_event_unpublished_idx" ON "SCHEMA"."outbox_event"("id") WHERE "published_at" IS NULL;

CREATE TABLE "SCHEMA"."processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer", "event_id")
);

CREATE TABLE "SCHEMA"."idempotency_record" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "response" JSONB,
    "locked_until" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("scope", "key")
);
