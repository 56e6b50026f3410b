import { enqueue, idempotencyKeyError, idempotent, isId, refuse, seedId, settle, userError, type Peers } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { CheckoutServiceOrderInput } from "./generated/graphql.ts";
import type { CheckoutResult } from "./checkout.ts";
import { storeFacts } from "./siblings.ts";
import { nextOrderNumber } from "./new-orders.ts";

/**
 * `checkoutServiceOrder`: a service order (logistics) is paid like any order. Once per (member, idempotency key):
 * logistics checks the member's service order may be charged now and links the order to it (`linkServiceCharge`,
 * answering the agreed price plus door fee), stores names the centre's retailer (points are sourced to it), and the
 * order is written: channel SERVICE, one service line, no stock, no fulfilment hold, PENDING_PAYMENT without a pay-by
 * (nothing is held for it). `payOrder` pays it; logistics follows payment.captured (PAID) and, when the item is
 * collected or delivered, announces `service.completed` (the order COMPLETED, an authorisation captured).
 */

interface ServiceCharge {
  ok: boolean;
  code: string | null;
  message: string | null;
  memberId: string | null;
  storeId: string | null;
  description: string | null;
  amount: number | null;
  currency: string | null;
  orderId: string | null;
}

async function linkServiceCharge(peers: Peers, serviceOrderId: string, memberId: string, orderId: string): Promise<ServiceCharge> {
  const data = await peers.call<{ linkServiceCharge: ServiceCharge }>(
    "logistics",
    `mutation($s: ID!, $m: ID!, $o: ID!) { linkServiceCharge(serviceOrderId: $s, memberId: $m, orderId: $o) { ok code message memberId storeId description amount currency orderId } }`,
    { s: serviceOrderId, m: memberId, o: orderId },
  );
  return data.linkServiceCharge;
}

export async function checkoutServiceOrder(ctx: PaymentsContext, memberId: string, input: CheckoutServiceOrderInput): Promise<CheckoutResult> {
  const keyError = idempotencyKeyError(input.idempotencyKey);
  const errors = [
    ...(keyError ? [keyError] : []),
    ...(isId(input.serviceOrderId) ? [] : [userError("SERVICE_ORDER_NOT_FOUND", "No service order of yours has that id.", ["input", "serviceOrderId"])]),
  ];
  if (errors.length) return { userErrors: errors };
  // The order id follows from the key: a retry that takes over a crashed attempt finds logistics' link to it.
  const orderId = seedId("order", `service:${memberId}:${input.idempotencyKey}`);
  return idempotent(ctx.prisma, "payments", `service-checkout:${memberId}`, input.idempotencyKey, input, () =>
    settle<CheckoutResult>(
      async () => {
        if (await ctx.prisma.customerOrder.findUnique({ where: { id: orderId } })) return { orderId, userErrors: [] };
        await place(ctx, memberId, orderId, input.serviceOrderId.toLowerCase());
        return { orderId, userErrors: [] };
      },
      (userErrors) => ({ userErrors }),
    ),
  );
}

async function place(ctx: PaymentsContext, memberId: string, orderId: string, serviceOrderId: string): Promise<void> {
  const charge = await linkServiceCharge(ctx.peers, serviceOrderId, memberId, orderId);
  if (!charge.ok) refuse(charge.code ?? "SERVICE_ORDER_NOT_PAYABLE", charge.message ?? "This service order cannot be charged now.", ["input", "serviceOrderId"]);
  try {
    const [store] = await storeFacts(ctx.peers, [charge.storeId!]);
    const amount = charge.amount!;
    const currency = charge.currency!;
    const now = new Date();
    await ctx.prisma.$transaction(async (tx) => {
      await tx.customerOrder.create({
        data: {
          id: orderId,
          number: await nextOrderNumber(tx, now),
          memberId,
          channel: "SERVICE",
          status: "PENDING_PAYMENT",
          currency,
          subtotalAmount: amount,
          taxFreeAmount: 0,
          totalAmount: amount,
          attributedStoreId: charge.storeId,
          sourceRetailerId: store?.retailer.id.toLowerCase() ?? null,
          placedViaRetailerId: ctx.caller.via,
          // Handed back by logistics (collected or delivered): `service.completed` completes it.
          hasFulfillment: true,
          payBy: null,
          placedAt: now,
          idempotencyKey: `service-checkout:${memberId}:${serviceOrderId}:${orderId}`,
          lines: {
            create: [
              {
                id: seedId("order-line", `${orderId}:1`),
                position: 1,
                productId: null,
                description: charge.description,
                storeId: charge.storeId!,
                quantity: 1,
                unitPriceAmount: amount,
                lineTotalAmount: amount,
              },
            ],
          },
        },
      });
      await enqueue(tx, "payments", "order.placed", { orderId, memberId, channel: "SERVICE", currency, total: amount, serviceOrderId, lines: [] });
    });
  } catch (error) {
    // The order will not exist: logistics drops the link when it sees the cancellation.
    await ctx.prisma.$transaction((tx) => enqueue(tx, "payments", "order.cancelled", { orderId, memberId, reason: "CHECKOUT_FAILED" }));
    ctx.kick();
    throw error;
  }
  ctx.kick();
}
