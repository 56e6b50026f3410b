-- Checkout and payments: order state for unpaid orders, tenders, stored value (wallets and prepaid cards),
-- the simulated card processor.
ALTER TABLE "payments"."customer_order"
    ADD COLUMN "tax_free" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "pay_by" TIMESTAMPTZ(3),
    ADD COLUMN "source_retailer_id" UUID,
    ADD COLUMN "has_fulfillment" BOOLEAN NOT NULL DEFAULT true;
UPDATE "payments"."customer_order" SET "tax_free" = "tax_free_amount" > 0;

-- Order numbers for placed orders: O2O-YY-NNNNNN, above every seeded number.
CREATE SEQUENCE "payments"."order_number_seq" START 100000;

CREATE TYPE "payments"."PaymentMethod" AS ENUM ('CARD', 'WALLET', 'PREPAID_CARD', 'POINTS');
CREATE TYPE "payments"."PaymentStatus" AS ENUM ('CAPTURED', 'REFUNDED');
CREATE TYPE "payments"."StoredValueKind" AS ENUM ('WALLET', 'PREPAID_CARD');

CREATE TABLE "payments"."payment" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "method" "payments"."PaymentMethod" NOT NULL,
    "amount" INTEGER NOT NULL CHECK ("amount" > 0),
    "currency" CHAR(3) NOT NULL,
    "status" "payments"."PaymentStatus" NOT NULL,
    "reference" TEXT,
    "stored_value_account_id" UUID,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "refunded_at" TIMESTAMPTZ(3),
    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "payment_order_id_position_key" ON "payments"."payment"("order_id", "position");
ALTER TABLE "payments"."payment" ADD CONSTRAINT "payment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "payments"."customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "payments"."stored_value_account" (
    "id" UUID NOT NULL,
    "kind" "payments"."StoredValueKind" NOT NULL,
    "member_id" UUID,
    "issuer_retailer_id" UUID,
    "currency" CHAR(3) NOT NULL,
    -- The guard against overdraft: a debit is a conditional UPDATE and this check backs it up.
    "balance" INTEGER NOT NULL CHECK ("balance" >= 0),
    "number_hash" TEXT,
    "last4" CHAR(4),
    "pin_hash" TEXT,
    "bound_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stored_value_account_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "stored_value_account_number_hash_key" ON "payments"."stored_value_account"("number_hash");
CREATE INDEX "stored_value_account_member_id_idx" ON "payments"."stored_value_account"("member_id");
-- One wallet balance per member.
CREATE UNIQUE INDEX "stored_value_account_one_wallet" ON "payments"."stored_value_account"("member_id") WHERE "kind" = 'WALLET';

CREATE TABLE "payments"."processor_charge" (
    "id" TEXT NOT NULL,
    "card_token" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processor_charge_pkey" PRIMARY KEY ("id")
);
