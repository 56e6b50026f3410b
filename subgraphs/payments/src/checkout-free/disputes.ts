import { enqueue, idempotencyKeyError, idempotent, isId, Refusal, refuse, settle, userError, type UserError } from "@o2o/runtime";
import { randomBytes, randomUUID } from "node:crypto";
import type { PaymentsContext } from "../context.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { DisputeReceiptLineInput } from "../generated/graphql.ts";
import { orderFor } from "../refunds.ts";
import { credit } from "../stored-value.ts";
import { DISPUTE_WINDOW_MS } from "./receipts.ts";

/**
 * `disputeReceiptLine`: within 24 hours of the exit, the member disputes one line of their checkout-free receipt and
 * gets quantity × unit price back on the original tender (card: a partial refund at the simulated processor; wallet:
 * credited back) — once per line (LINE_ALREADY_DISPUTED; the unique `line_dispute.line_id` also settles races).
 * `order.line_refunded` announces it. The order stays COMPLETED; its receipt shows the refund.
 * Members takes back the points of the refunded amount (the event carries what the order still holds). The disputed
 * units are not returned to stock: they most likely never left the shelf, and a store's stock count corrects them.
 */
export type DisputeResult = { orderId: string | null; disputeId: string | null; userErrors: UserError[] };

const failed = (userErrors: UserError[]): DisputeResult => ({ orderId: null, disputeId: null, userErrors });

export function disputeReceiptLine(ctx: PaymentsContext, memberId: string, input: DisputeReceiptLineInput, now = new Date()): Promise<DisputeResult> {
  const errors: UserError[] = [];
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) errors.push(userError("INVALID_REASON", "Say why in 1 to 500 characters.", ["input", "reason"]));
  if (input.quantity != null && (!Number.isInteger(input.quantity) || input.quantity < 1)) errors.push(userError("INVALID_QUANTITY", "quantity must be at least 1.", ["input", "quantity"]));
  if (errors.length) return Promise.resolve(failed(errors));
  return settle<DisputeResult>(async () => {
    const order = await orderFor(ctx, input.orderId, null);
    const request = { orderId: order.id, lineId: input.lineId.toLowerCase(), quantity: input.quantity ?? null, reason };
    const result = await idempotent(ctx.prisma, "payments", `dispute:${memberId}`, input.idempotencyKey, request, () =>
      settle<DisputeResult>(() => dispute(ctx, order.id, memberId, input, reason, now), failed),
    );
    ctx.kick();
    return result;
  }, failed);
}

async function dispute(ctx: PaymentsContext, orderId: string, memberId: string, input: DisputeReceiptLineInput, reason: string, now: Date): Promise<DisputeResult> {
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      // Disputes of one order queue here, so each one's `remainingAmount` counts every refund before it.
      await tx.$executeRaw`SELECT 1 FROM "payments"."customer_order" WHERE "id" = ${orderId}::uuid FOR UPDATE`;
      const order = await tx.customerOrder.findUniqueOrThrow({ where: { id: orderId }, include: { payments: true, shoppingSession: true } });
      const session = order.shoppingSession;
      if (!session || session.outcome !== "PAID" || order.status !== "COMPLETED") refuse("NOT_DISPUTABLE", "Only a paid checkout-free receipt can be disputed.", ["input", "orderId"]);
      const line = isId(input.lineId) ? await tx.orderLine.findFirst({ where: { id: input.lineId.toLowerCase(), orderId } }) : null;
      if (!line) refuse("LINE_NOT_FOUND", "The receipt has no such line.", ["input", "lineId"]);
      if (now.getTime() > session!.closedAt!.getTime() + DISPUTE_WINDOW_MS) refuse("DISPUTE_WINDOW_CLOSED", "Lines can be disputed for 24 hours after leaving the store.", ["input", "orderId"]);
      const quantity = input.quantity ?? line!.quantity;
      if (quantity > line!.quantity) refuse("INVALID_QUANTITY", `The line has ${line!.quantity} units.`, ["input", "quantity"]);
      if (await tx.lineDispute.findUnique({ where: { lineId: line!.id } })) refuse("LINE_ALREADY_DISPUTED", "This line was already disputed.", ["input", "lineId"]);
      const amount = line!.unitPriceAmount * quantity;
      const refundedBefore = (await tx.lineDispute.aggregate({ where: { orderId }, _sum: { refundAmount: true } }))._sum.refundAmount ?? 0;
      const tender = order.payments.find((p) => p.status === "CAPTURED" && (p.method === "CARD" || p.method === "WALLET") && p.amount >= amount);
      if (!tender) refuse("NOT_DISPUTABLE", "The receipt has no card or wallet payment to refund to.", ["input", "orderId"]);
      let refundReference: string | null = null;
      if (tender!.method === "CARD" && tender!.reference) {
        // The processor's partial refund of the original charge, in its own records.
        const charge = await tx.processorCharge.findUniqueOrThrow({ where: { id: tender!.reference } });
        refundReference = `re_${randomBytes(12).toString("hex")}`;
        await tx.processorCharge.create({ data: { id: refundReference, cardToken: charge.cardToken, amount, currency: order.currency, status: "REFUNDED" } });
      }
      if (tender!.storedValueAccountId) await credit(tx, tender!.storedValueAccountId, amount);
      const disputeId = randomUUID();
      await tx.lineDispute.create({
        data: { id: disputeId, orderId, lineId: line!.id, memberId, quantity, reason, refundAmount: amount, currency: order.currency, paymentId: tender!.id, refundReference, createdAt: now },
      });
      await enqueue(tx, "payments", "order.line_refunded", {
        orderId,
        memberId,
        lineId: line!.id,
        productId: line!.productId,
        storeId: line!.storeId,
        quantity,
        amount,
        currency: order.currency,
        retailerId: order.sourceRetailerId,
        // What the order still holds after this refund: members keeps the points of exactly that much.
        remainingAmount: order.totalAmount - refundedBefore - amount,
      });
      return { orderId, disputeId, userErrors: [] };
    });
  } catch (error) {
    // Two disputes of one line at once (different keys): the unique line id lets one through.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new Refusal(userError("LINE_ALREADY_DISPUTED", "This line was already disputed.", ["input", "lineId"]));
    }
    throw error;
  }
}
