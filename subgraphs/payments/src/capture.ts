import { enqueue, idempotent, requireScope, userError, type UserError, settle, idempotencyKeyError } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import { captureCharge } from "./processor.ts";
import { orderFor } from "./refunds.ts";

type Tx = Prisma.TransactionClient;

/** `payment.captured`: what members (points), stores (stock commits) and logistics (fulfilment) need. */
export async function announceCapture(tx: Tx, order: CustomerOrderModel, pointsRedeemed: number): Promise<void> {
  await enqueue(tx, "payments", "payment.captured", {
    orderId: order.id,
    memberId: order.memberId,
    currency: order.currency,
    amount: order.totalAmount,
    pointsEligibleAmount: order.totalAmount - pointsRedeemed,
    pointsRedeemed,
    retailerId: order.sourceRetailerId,
    storeId: order.attributedStoreId,
  });
}

/**
 * Takes the money an AUTHORIZED order holds: card charges captured, tenders CAPTURED, the order PAID (COMPLETED
 * when already handed over, or when nothing is to be handed over), `payment.captured`. False if it was not
 * AUTHORIZED (captured already, cancelled…): capturing twice changes nothing.
 */
export async function captureAuthorized(tx: Tx, orderId: string, handedOver: boolean): Promise<boolean> {
  const order = await tx.customerOrder.findUnique({ where: { id: orderId }, include: { payments: true } });
  if (!order) return false;
  const done = await tx.customerOrder.updateMany({ where: { id: orderId, status: "AUTHORIZED" }, data: { status: handedOver || !order.hasFulfillment ? "COMPLETED" : "PAID" } });
  if (done.count !== 1) return false;
  const now = new Date();
  let points = 0;
  for (const p of order.payments.filter((x) => x.status === "AUTHORIZED")) {
    if (p.method === "CARD" && p.reference) await captureCharge(tx, p.reference);
    if (p.method === "POINTS") points += p.amount;
  }
  await tx.payment.updateMany({ where: { orderId, status: "AUTHORIZED" }, data: { status: "CAPTURED", capturedAt: now } });
  await announceCapture(tx, order, points);
  return true;
}

export type CaptureResult = { orderId: string; userErrors: UserError[] };

/**
 * `capturePayment` (scope orders:write, checked here too): the order's member, or at the counter an API key bound to
 * the order's retailer (keyMayActOnOrder; a platform key: any). Anyone else's order is ORDER_NOT_FOUND, like an
 * unknown one. Once per (order, key).
 */
export async function capturePayment(ctx: PaymentsContext, orderId: string, key: string): Promise<CaptureResult> {
  requireScope(ctx.caller, "orders:write");
  const keyError = idempotencyKeyError(key);
  if (keyError) return { orderId, userErrors: [keyError] };
  return settle<CaptureResult>(
    async () => {
      const order = await orderFor(ctx, orderId, "orders:write");
      const result = await idempotent(ctx.prisma, "payments", `capture:${order.id}`, key, { orderId: order.id }, async (): Promise<CaptureResult> => {
        const captured = await ctx.prisma.$transaction((tx) => captureAuthorized(tx, order.id, false));
        return captured
          ? { orderId: order.id, userErrors: [] }
          : { orderId: order.id, userErrors: [userError("ORDER_NOT_CAPTURABLE", "Only an AUTHORIZED order's payment can be captured.", ["input", "orderId"])] };
      });
      ctx.kick();
      return result;
    },
    (userErrors) => ({ orderId, userErrors }),
  );
}
