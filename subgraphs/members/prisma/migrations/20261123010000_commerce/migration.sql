-- Loyalty across merged clubs (source of each entry, partner club cards to merge), points as a payment method
-- (redemptions given back), and passports for tax-free shopping.
ALTER TYPE "members"."PointsReason" ADD VALUE 'REDEMPTION_REFUND';
ALTER TABLE "members"."points_ledger_entry" ADD COLUMN "source_retailer_id" UUID;

CREATE TABLE "members"."member_identity" (
    "member_id" UUID NOT NULL,
    "number_hash" TEXT NOT NULL,
    "number_last4" TEXT NOT NULL,
    "full_name" TEXT NOT NULL,
    "nationality" TEXT NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "expires_on" DATE NOT NULL,
    "verified_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "member_identity_pkey" PRIMARY KEY ("member_id")
);
ALTER TABLE "members"."member_identity" ADD CONSTRAINT "member_identity_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"."member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "members"."partner_club_account" (
    "id" UUID NOT NULL,
    "retailer_id" UUID NOT NULL,
    "club_name" TEXT NOT NULL,
    "member_number" TEXT NOT NULL,
    "pin_hash" TEXT NOT NULL,
    "points_balance" INTEGER NOT NULL CHECK ("points_balance" >= 0),
    "linked_member_id" UUID,
    "linked_at" TIMESTAMPTZ(3),
    CONSTRAINT "partner_club_account_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "partner_club_account_retailer_id_member_number_key" ON "members"."partner_club_account"("retailer_id", "member_number");
