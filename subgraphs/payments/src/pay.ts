import { randomUUID } from "node:crypto";
import { enqueue, idempotent, isId, refuse, userError, type UserError, settle, idempotencyKeyError } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { PayOrderInput, TenderInput } from "./generated/graphql.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import { announceCapture } from "./capture.ts";
import { authorizeCard, chargeCard } from "./processor.ts";
import { redeemPoints } from "./siblings.ts";
import { debit, walletAccount } from "./stored-value.ts";

export type PayResult = { orderId: string; userErrors: UserError[] };

/** Problems with the tenders' shape, before anything is read. */
function tenderErrors(input: PayOrderInput): UserError[] {
  const errors: UserError[] = [];
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  if (!isId(input.orderId)) errors.push(userError("ORDER_NOT_FOUND", "No such order of yours.", ["input", "orderId"]));
  if (!input.tenders.length || input.tenders.length > 5) errors.push(userError("INVALID_TENDERS", "Pay with 1 to 5 tenders.", ["input", "tenders"]));
  input.tenders.forEach((t, i) => {
    const at = ["input", "tenders", String(i)];
    if (!Number.isInteger(t.amount) || t.amount <= 0) errors.push(userError("INVALID_AMOUNT", "A tender's amount must be a positive integer (minor units).", [...at, "amount"]));
    if (t.method === "CARD" && !t.cardToken) errors.push(userError("CARD_TOKEN_REQUIRED", "A CARD tender needs a cardToken.", [...at, "cardToken"]));
    if (t.method === "PREPAID_CARD" && !(t.prepaidCardId && isId(t.prepaidCardId))) errors.push(userError("UNKNOWN_PREPAID_CARD", "A PREPAID_CARD tender needs the id of a card in your wallet.", [...at, "prepaidCardId"]));
  });
  if (input.tenders.filter((t) => t.method === "POINTS").length > 1) errors.push(userError("INVALID_TENDERS", "Use one POINTS tender at most.", ["input", "tenders"]));
  return errors;
}

/**
 * `payOrder`: once per (order, idempotency key). Points are taken first (members, synchronously); then,
 * in one transaction, stored-value debits, the card charge, the tenders, PAID and `payment.captured`.
 * If that transaction refuses (declined card, short balance), the points come back through a
 * `payment.voided` event, so a failed payment leaves no money and no points taken.
 */
export async function payOrder(ctx: PaymentsContext, memberId: string, input: PayOrderInput): Promise<PayResult> {
  const errors = tenderErrors(input);
  if (errors.length) return { orderId: input.orderId, userErrors: errors };
  const orderId = input.orderId.toLowerCase();
  return idempotent(ctx.prisma, "payments", `pay:${memberId}:${orderId}`, input.idempotencyKey, input, async () => {
    return settle<PayResult>(
      async () => (await pay(ctx, memberId, orderId, input), { orderId, userErrors: [] }),
      (userErrors) => ({ orderId, userErrors }),
    );
  });
}

async function pay(ctx: PaymentsContext, memberId: string, orderId: string, input: PayOrderInput): Promise<void> {
  const order = await ctx.prisma.customerOrder.findUnique({ where: { id: orderId } });
  if (!order || order.memberId !== memberId) refuse("ORDER_NOT_FOUND", "No such order of yours.", ["input", "orderId"]);
  payable(order!, input.tenders);
  const points = input.tenders.find((t) => t.method === "POINTS")?.amount ?? 0;
  const redemptionKey = `redeem:${orderId}:${input.idempotencyKey}`;
  if (points) {
    const redeemed = await redeemPoints(ctx.peers, memberId, orderId, points, redemptionKey);
    if (!redeemed.ok) refuse(redeemed.code ?? "INSUFFICIENT_POINTS", redeemed.message ?? "Not enough points.", ["input", "tenders"]);
  }
  try {
    await ctx.prisma.$transaction((tx) => take(tx, order!, input.tenders, points, redemptionKey, input.capture ?? true));
  } catch (error) {
    if (points) {
      await ctx.prisma.$transaction((tx) => enqueue(tx, "payments", "payment.voided", { orderId, memberId, pointsRedeemed: points, redemptionKey }));
    }
    throw error;
  } finally {
    ctx.kick();
  }
}

function payable(order: CustomerOrderModel, tenders: TenderInput[]): void {
  if (order.status !== "PENDING_PAYMENT") refuse("ORDER_NOT_PAYABLE", `The order is ${order.status}; only PENDING_PAYMENT orders can be paid.`, ["input", "orderId"]);
  if (order.payBy && order.payBy.getTime() <= Date.now()) refuse("RESERVATION_EXPIRED", "The order's stock hold expired; place it again.", ["input", "orderId"]);
  const sum = tenders.reduce((s, t) => s + t.amount, 0);
  if (sum !== order.totalAmount) refuse("AMOUNT_MISMATCH", `The tenders add up to ${sum}; the order's total is ${order.totalAmount} ${order.currency}.`, ["input", "tenders"]);
  if (tenders.some((t) => t.method === "POINTS") && order.currency !== "JPY") refuse("POINTS_NOT_ACCEPTED", "Points pay JPY orders only.", ["input", "tenders"]);
}

/**
 * The local part of a payment, one transaction: claim the order, take (or, `captureNow` false, hold) every
 * tender, record them, announce it. Points were already taken; the POINTS row keeps their redemption key so a
 * void can give them back.
 */
async function take(tx: Prisma.TransactionClient, order: CustomerOrderModel, tenders: TenderInput[], points: number, redemptionKey: string, captureNow: boolean): Promise<void> {
  // Claim the order first: a concurrent payment with another key finds it taken and refuses.
  const status = !captureNow ? "AUTHORIZED" : order.hasFulfillment ? "PAID" : "COMPLETED";
  const claimed = await tx.customerOrder.updateMany({ where: { id: order.id, status: "PENDING_PAYMENT" }, data: { status, payBy: null } });
  if (claimed.count !== 1) refuse("ORDER_NOT_PAYABLE", "The order was paid or cancelled meanwhile.", ["input", "orderId"]);
  const now = new Date();
  for (const [i, t] of tenders.entries()) {
    const field = ["input", "tenders", i];
    let reference: string | null = t.method === "POINTS" ? redemptionKey : null;
    let storedValueAccountId: string | null = null;
    if (t.method === "CARD") reference = await (captureNow ? chargeCard : authorizeCard)(tx, t.cardToken!, t.amount, order.currency, field);
    if (t.method === "WALLET" || t.method === "PREPAID_CARD") {
      const account = t.method === "WALLET" ? await walletAccount(tx, order.memberId) : await tx.storedValueAccount.findUnique({ where: { id: t.prepaidCardId!.toLowerCase() } });
      if (account && t.method === "PREPAID_CARD" && account.kind !== "PREPAID_CARD") refuse("UNKNOWN_PREPAID_CARD", "No such card in your wallet.", field);
      // Stored value is debited at authorisation too (a hold on our own ledger); a void credits it back.
      await debit(tx, account, order.memberId, t.amount, order.currency, field);
      storedValueAccountId = account!.id;
      reference = account!.last4;
    }
    await tx.payment.create({
      data: {
        id: randomUUID(),
        orderId: order.id,
        position: i + 1,
        method: t.method,
        amount: t.amount,
        currency: order.currency,
        status: captureNow ? "CAPTURED" : "AUTHORIZED",
        reference,
        storedValueAccountId,
        authorizedAt: now,
        capturedAt: captureNow ? now : null,
      },
    });
  }
  if (captureNow) await announceCapture(tx, order, points);
  else await enqueue(tx, "payments", "payment.authorized", { orderId: order.id, memberId: order.memberId });
}
