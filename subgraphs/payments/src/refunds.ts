import { enqueue, idempotent, isId, Refusal, refuse, requireScope, type Scope, type UserError, settle, idempotencyKeyError } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import { keyMayActOnOrder } from "./orders.ts";
import { refundCharge, voidCharge } from "./processor.ts";
import { credit } from "./stored-value.ts";

export type OrderResult = { orderId: string; userErrors: UserError[] };

const asResult = (orderId: string, work: () => Promise<void>): Promise<OrderResult> =>
  settle<OrderResult>(async () => (await work(), { orderId, userErrors: [] }), (userErrors) => ({ orderId, userErrors }));

/**
 * The order if the caller may act on it: its member, or an API key holding `scope` for it (keyMayActOnOrder: a
 * partner key's own retailer's orders; a platform key: any). Others get the same answer as for an
 * unknown order.
 */
export async function orderFor(ctx: PaymentsContext, orderId: string, scope: Scope | null): Promise<CustomerOrderModel> {
  const order = isId(orderId) ? await ctx.prisma.customerOrder.findUnique({ where: { id: orderId.toLowerCase() } }) : null;
  const allowed = order && (order.memberId === ctx.caller.memberId?.toLowerCase() || (scope !== null && keyMayActOnOrder(ctx.caller, scope, order)));
  if (!allowed) refuse("ORDER_NOT_FOUND", "No such order of yours.", ["input", "orderId"]);
  return order!;
}

/** `cancelOrder`: an unpaid or only authorised order of the member; stock and slot come back through `order.cancelled`. */
export async function cancelOrder(ctx: PaymentsContext, orderId: string): Promise<OrderResult> {
  return asResult(orderId, async () => {
    const order = await orderFor(ctx, orderId, null);
    await ctx.prisma.$transaction((tx) => cancel(tx, order.id, "CANCELLED_BY_MEMBER", ["PENDING_PAYMENT", "AUTHORIZED"]));
    ctx.kick();
  });
}

/**
 * Cancels an order that is still in one of `from` (unpaid; or authorised, whose holds are voided: card
 * authorisations released, stored value credited back, spent points given back via `payment.voided`).
 */
export async function cancel(tx: Prisma.TransactionClient, orderId: string, reason: string, from: ("PENDING_PAYMENT" | "AUTHORIZED")[]): Promise<void> {
  const before = await tx.customerOrder.findUnique({ where: { id: orderId }, include: { payments: true } });
  const done = await tx.customerOrder.updateMany({ where: { id: orderId, status: { in: from } }, data: { status: "CANCELLED", payBy: null } });
  if (!before || done.count !== 1) refuse("ORDER_NOT_CANCELLABLE", "Only unpaid or authorised orders can be cancelled; refund a paid one.", ["input", "orderId"]);
  for (const p of before!.payments.filter((x) => x.status === "AUTHORIZED")) {
    if (p.method === "CARD" && p.reference) await voidCharge(tx, p.reference);
    if (p.storedValueAccountId) await credit(tx, p.storedValueAccountId, p.amount);
    if (p.method === "POINTS" && p.reference) {
      await enqueue(tx, "payments", "payment.voided", { orderId, memberId: before!.memberId, pointsRedeemed: p.amount, redemptionKey: p.reference });
    }
  }
  await tx.payment.updateMany({ where: { orderId, status: "AUTHORIZED" }, data: { status: "VOIDED" } });
  await enqueue(tx, "payments", "order.cancelled", { orderId, memberId: before!.memberId, reason });
}

/**
 * `refundOrder` (scope payments:write, checked here too): the order's member, or an API key bound to the order's
 * retailer (a platform key: any); anyone else's order is ORDER_NOT_FOUND. Every captured tender back where it came
 * from (card refund at the processor, stored value credited, points through the event), REFUNDED, and
 * `order.refunded` — one transaction, once per (order, key).
 */
export async function refundOrder(ctx: PaymentsContext, orderId: string, key: string): Promise<OrderResult> {
  requireScope(ctx.caller, "payments:write");
  const keyError = idempotencyKeyError(key);
  if (keyError) return { orderId, userErrors: [keyError] };
  return asResult(orderId, async () => {
    const order = await orderFor(ctx, orderId, "payments:write");
    const outcome = await idempotent(ctx.prisma, "payments", `refund:${order.id}`, key, { orderId: order.id }, () =>
      asResult(order.id, () => ctx.prisma.$transaction((tx) => refund(tx, order.id))),
    );
    ctx.kick();
    if (outcome.userErrors[0]) throw new Refusal(outcome.userErrors[0]);
  });
}

async function refund(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  const done = await tx.customerOrder.updateMany({ where: { id: orderId, status: { in: ["PAID", "COMPLETED"] } }, data: { status: "REFUNDED" } });
  if (done.count !== 1) refuse("ORDER_NOT_REFUNDABLE", "Only paid orders can be refunded.", ["input", "orderId"]);
  const order = await tx.customerOrder.findUniqueOrThrow({ where: { id: orderId }, include: { payments: true } });
  let pointsRedeemed = 0;
  // Lines a checkout-free receipt dispute already refunded to a tender are not given back twice.
  const disputed = await tx.lineDispute.groupBy({ by: ["paymentId"], where: { orderId }, _sum: { refundAmount: true } });
  const refundedBefore = new Map(disputed.map((d) => [d.paymentId, d._sum.refundAmount ?? 0]));
  for (const p of order.payments.filter((x) => x.status === "CAPTURED")) {
    if (p.method === "CARD" && p.reference) await refundCharge(tx, p.reference);
    if (p.storedValueAccountId) await credit(tx, p.storedValueAccountId, p.amount - (refundedBefore.get(p.id) ?? 0));
    if (p.method === "POINTS") pointsRedeemed += p.amount;
  }
  await tx.payment.updateMany({ where: { orderId, status: "CAPTURED" }, data: { status: "REFUNDED", refundedAt: new Date() } });
  await enqueue(tx, "payments", "order.refunded", { orderId, memberId: order.memberId, pointsRedeemed });
}
