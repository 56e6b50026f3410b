-- Authorise now, capture at handover: an order can hold an authorised payment; tenders record both moments.
ALTER TYPE "payments"."OrderStatus" ADD VALUE 'AUTHORIZED' AFTER 'PENDING_PAYMENT';
ALTER TYPE "payments"."PaymentStatus" ADD VALUE 'AUTHORIZED' BEFORE 'CAPTURED';
ALTER TYPE "payments"."PaymentStatus" ADD VALUE 'VOIDED';
ALTER TABLE "payments"."payment" ADD COLUMN "authorized_at" TIMESTAMPTZ(3);
UPDATE "payments"."payment" SET "authorized_at" = "captured_at";
ALTER TABLE "payments"."payment" ALTER COLUMN "authorized_at" SET NOT NULL, ALTER COLUMN "captured_at" DROP NOT NULL;
