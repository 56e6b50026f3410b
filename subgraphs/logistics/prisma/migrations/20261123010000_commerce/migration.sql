-- Fulfilments created at checkout: a held slot awaits payment; the member is known (pickup codes are theirs only).
-- ADD VALUE runs inside the migration transaction: allowed, as long as nothing in this transaction uses the new
-- value (no default, no row, no check mentions it); the seed and holds use it only after the commit.
ALTER TYPE "logistics"."FulfillmentStatus" ADD VALUE 'AWAITING_PAYMENT' BEFORE 'PENDING';
ALTER TABLE "logistics"."fulfillment"
    ADD COLUMN "member_id" UUID,
    ADD COLUMN "tax_free" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "failed_code_attempts" INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT "fulfillment_failed_code_attempts_check" CHECK ("failed_code_attempts" >= 0);
-- Tax-free fulfilments existing before this migration were the passport-checked ones.
UPDATE "logistics"."fulfillment" SET "tax_free" = "requires_passport_check";
