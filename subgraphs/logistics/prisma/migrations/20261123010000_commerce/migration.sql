-- Fulfilments created at checkout: a held slot awaits payment; the member is known (pickup codes are theirs only).
ALTER TYPE "logistics"."FulfillmentStatus" ADD VALUE 'AWAITING_PAYMENT' BEFORE 'PENDING';
ALTER TABLE "logistics"."fulfillment"
    ADD COLUMN "member_id" UUID,
    ADD COLUMN "failed_code_attempts" INTEGER NOT NULL DEFAULT 0;
