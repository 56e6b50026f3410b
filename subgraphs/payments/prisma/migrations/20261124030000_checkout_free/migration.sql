-- Checkout-free stores: members' default payment methods, shopping sessions opened at the gate with an entry pass,
-- shelf sensor events, the e-receipt email outbox and disputed receipt lines (partial refunds).
CREATE TYPE "payments"."SavedPaymentMethod" AS ENUM ('CARD', 'WALLET');
CREATE TYPE "payments"."ShoppingSessionStatus" AS ENUM ('OPEN', 'CLOSED');
CREATE TYPE "payments"."ShoppingSessionOutcome" AS ENUM ('NOTHING_TAKEN', 'PAID', 'PAYMENT_DECLINED');
CREATE TYPE "payments"."ShelfEventKind" AS ENUM ('TAKEN', 'PUT_BACK');

CREATE TABLE "payments"."default_payment_method" (
    "member_id" UUID NOT NULL,
    "method" "payments"."SavedPaymentMethod" NOT NULL,
    "card_token" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "default_payment_method_pkey" PRIMARY KEY ("member_id"),
    CONSTRAINT "default_payment_method_card_token_check" CHECK (("method" = 'CARD') = ("card_token" IS NOT NULL))
);

CREATE TABLE "payments"."shopping_session" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "retailer_id" UUID NOT NULL,
    "pass_nonce" TEXT NOT NULL,
    "status" "payments"."ShoppingSessionStatus" NOT NULL,
    "outcome" "payments"."ShoppingSessionOutcome",
    "opened_by_key_id" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "exit_event_id" TEXT,
    "order_id" UUID,
    CONSTRAINT "shopping_session_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "shopping_session_closed_check" CHECK (("status" = 'CLOSED') = ("closed_at" IS NOT NULL AND "outcome" IS NOT NULL))
);
CREATE UNIQUE INDEX "shopping_session_pass_nonce_key" ON "payments"."shopping_session"("pass_nonce");
CREATE UNIQUE INDEX "shopping_session_order_id_key" ON "payments"."shopping_session"("order_id");
CREATE INDEX "shopping_session_member_id_opened_at_idx" ON "payments"."shopping_session"("member_id", "opened_at");
ALTER TABLE "payments"."shopping_session" ADD CONSTRAINT "shopping_session_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "payments"."customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "payments"."shelf_event" (
    "session_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "product_id" UUID NOT NULL,
    "kind" "payments"."ShelfEventKind" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "shelf_event_pkey" PRIMARY KEY ("session_id", "event_id"),
    CONSTRAINT "shelf_event_quantity_check" CHECK ("quantity" > 0)
);
ALTER TABLE "payments"."shelf_event" ADD CONSTRAINT "shelf_event_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "payments"."shopping_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "payments"."email_outbox" (
    "id" UUID NOT NULL,
    "recipient_member_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "email_outbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "email_outbox_order_id_key" ON "payments"."email_outbox"("order_id");
CREATE INDEX "email_outbox_sent_at_created_at_idx" ON "payments"."email_outbox"("sent_at", "created_at");

CREATE TABLE "payments"."line_dispute" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "refund_amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "payment_id" UUID NOT NULL,
    "refund_reference" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "line_dispute_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "line_dispute_amounts_check" CHECK ("quantity" > 0 AND "refund_amount" >= 0)
);
CREATE UNIQUE INDEX "line_dispute_line_id_key" ON "payments"."line_dispute"("line_id");
CREATE INDEX "line_dispute_order_id_idx" ON "payments"."line_dispute"("order_id");
ALTER TABLE "payments"."line_dispute" ADD CONSTRAINT "line_dispute_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "payments"."customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payments"."line_dispute" ADD CONSTRAINT "line_dispute_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "payments"."order_line"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
