import type { PaymentsContext } from "../context.ts";
import type { CustomerOrderModel, LineDisputeModel, OrderLineModel, ShoppingSessionModel } from "../generated/prisma/models.ts";
import type { BasketProduct } from "./products.ts";

/**
 * E-receipts of checkout-free orders: read through `Order.receipt` (whoever may read the order may read its receipt)
 * and queued once as an email (`email_outbox`, one row per order, written in the capture's transaction; no SMTP here —
 * a mailer would send the rows with `sent_at` null and set it).
 */
export const DISPUTE_WINDOW_MS = 24 * 3600_000;

export interface ReceiptParent {
  order: CustomerOrderModel;
  session: ShoppingSessionModel;
}
export type ReceiptLineParent = OrderLineModel & { currency: string };

/** `Order.receipt`: the checkout-free order's receipt once paid (its session's outcome PAID); null otherwise. */
export async function receiptOf(ctx: PaymentsContext, order: CustomerOrderModel): Promise<ReceiptParent | null> {
  if (order.channel !== "CHECKOUT_FREE") return null;
  const session = await ctx.loaders.sessionByOrderId.load(order.id);
  return session && session.outcome === "PAID" && session.closedAt ? { order, session } : null;
}

export const disputableUntil = (session: ShoppingSessionModel) => new Date(session.closedAt!.getTime() + DISPUTE_WINDOW_MS);

export async function receiptLines(ctx: PaymentsContext, receipt: ReceiptParent): Promise<ReceiptLineParent[]> {
  return (await ctx.loaders.linesByOrderId.load(receipt.order.id)).map((l) => ({ ...l, currency: receipt.order.currency }));
}

export async function refundedBy(ctx: PaymentsContext, receipt: ReceiptParent): Promise<number> {
  return (await ctx.loaders.disputesByOrderId.load(receipt.order.id)).reduce((sum, d) => sum + d.refundAmount, 0);
}

export async function lineDispute(ctx: PaymentsContext, line: ReceiptLineParent): Promise<LineDisputeModel | null> {
  return (await ctx.loaders.disputesByOrderId.load(line.orderId)).find((d) => d.lineId === line.id) ?? null;
}

const yen = (amount: number, currency: string) => (currency === "JPY" ? `¥${amount.toLocaleString("en-US")}` : `${(amount / 100).toFixed(2)} ${currency}`);

/** The email's subject and plain-text body: the same lines, total and tender as `Order.receipt`. */
export function receiptEmail(
  order: CustomerOrderModel,
  lines: { product: BasketProduct; quantity: number }[],
  session: ShoppingSessionModel,
  exitedAt: Date,
  tender: "CARD" | "WALLET",
): { subject: string; body: string } {
  const body = [
    `Receipt ${order.number}`,
    `Store: ${session.storeId}`,
    `Entered ${session.openedAt.toISOString()}, left ${exitedAt.toISOString()}`,
    "",
    ...lines.map((l) => `${l.quantity} × ${l.product.name} @ ${yen(l.product.price.amount, order.currency)} = ${yen(l.product.price.amount * l.quantity, order.currency)}`),
    "",
    `Total ${yen(order.totalAmount, order.currency)} (${tender === "CARD" ? "card" : "wallet"})`,
    `You can dispute a line in the app until ${new Date(exitedAt.getTime() + DISPUTE_WINDOW_MS).toISOString()}.`,
  ].join("\n");
  return { subject: `Your O2O receipt ${order.number}`, body };
}
