-- members: loyalty members, points ledger, merged partner-club memberships
CREATE SCHEMA IF NOT EXISTS "members";

CREATE TYPE "members"."PointsReason" AS ENUM ('PURCHASE', 'REDEMPTION', 'REFUND_REVERSAL', 'WELCOME_BONUS', 'PARTNER_TRANSFER', 'ADJUSTMENT');

CREATE TABLE "members"."member" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "points_balance" INTEGER NOT NULL DEFAULT 0,
    "lifetime_points" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "member_points_balance_check" CHECK ("points_balance" >= 0),
    CONSTRAINT "member_lifetime_points_check" CHECK ("lifetime_points" >= 0)
);
CREATE UNIQUE INDEX "member_email_key" ON "members"."member"("email");

CREATE TABLE "members"."points_ledger_entry" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "points" INTEGER NOT NULL,
    "balance_after" INTEGER NOT NULL,
    "reason" "members"."PointsReason" NOT NULL,
    "description" TEXT NOT NULL,
    "order_id" UUID,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "points_ledger_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "points_ledger_entry_points_check" CHECK ("points" <> 0),
    CONSTRAINT "points_ledger_entry_balance_after_check" CHECK ("balance_after" >= 0)
);
CREATE UNIQUE INDEX "points_ledger_entry_idempotency_key_key" ON "members"."points_ledger_entry"("idempotency_key");
CREATE INDEX "points_ledger_entry_member_id_created_at_id_idx" ON "members"."points_ledger_entry"("member_id", "created_at" DESC, "id");

CREATE TABLE "members"."partner_membership" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "retailer_id" UUID NOT NULL,
    "club_name" TEXT NOT NULL,
    "member_number" TEXT NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "partner_membership_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "partner_membership_member_id_retailer_id_key" ON "members"."partner_membership"("member_id", "retailer_id");
CREATE UNIQUE INDEX "partner_membership_retailer_id_member_number_key" ON "members"."partner_membership"("retailer_id", "member_number");

ALTER TABLE "members"."points_ledger_entry" ADD CONSTRAINT "points_ledger_entry_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "members"."partner_membership" ADD CONSTRAINT "partner_membership_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
