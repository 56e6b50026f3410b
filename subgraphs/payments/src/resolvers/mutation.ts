import type { PaymentsContext } from "../context.ts";
import type { MutationResolvers, Resolvers } from "../generated/graphql.ts";
import { capturePayment } from "../capture.ts";
import { checkout } from "../checkout.ts";
import { callerMemberId } from "../orders.ts";
import { payOrder } from "../pay.ts";
import { cancelOrder, refundOrder } from "../refunds.ts";
import { bindPrepaidCard, issuePrepaidCard, topUpWallet, walletOf } from "../wallet.ts";

/** Thin: who is calling, then the service; payloads resolve their order or wallet from the stored answer. */
export const Mutation: MutationResolvers = {
  checkout: (_, { input }, ctx) => checkout(ctx, callerMemberId(ctx, "place orders"), input),
  payOrder: (_, { input }, ctx) => payOrder(ctx, callerMemberId(ctx, "pay orders"), input),
  capturePayment: (_, { input }, ctx) => capturePayment(ctx, input.orderId, input.idempotencyKey),
  cancelOrder: (_, { input }, ctx) => (callerMemberId(ctx, "cancel orders"), cancelOrder(ctx, input.orderId)),
  refundOrder: (_, { input }, ctx) => refundOrder(ctx, input.orderId, input.idempotencyKey),
  topUpWallet: (_, { input }, ctx) => topUpWallet(ctx, callerMemberId(ctx, "top up a wallet"), input.amount, input.cardToken, input.idempotencyKey),
  bindPrepaidCard: (_, { input }, ctx) => bindPrepaidCard(ctx, callerMemberId(ctx, "bind a card"), input.number, input.pin),
  issuePrepaidCard: (_, { input }, ctx) => issuePrepaidCard(ctx, input.amount, input.idempotencyKey),
};

type OrderPayload = { orderId?: string; userErrors: unknown[] };
/** A payload's order: null when the mutation was refused. */
const orderOf = (p: OrderPayload, ctx: PaymentsContext) =>
  p.orderId && p.userErrors.length === 0 ? ctx.loaders.orderById.load(p.orderId) : null;

export const payloads: Pick<Resolvers, "CheckoutPayload" | "PayOrderPayload" | "CapturePaymentPayload" | "CancelOrderPayload" | "RefundOrderPayload" | "WalletPayload"> = {
  CheckoutPayload: { order: (p, _, ctx) => orderOf(p, ctx) },
  PayOrderPayload: { order: (p, _, ctx) => orderOf(p, ctx) },
  CapturePaymentPayload: { order: (p, _, ctx) => orderOf(p, ctx) },
  CancelOrderPayload: { order: (p, _, ctx) => orderOf(p, ctx) },
  RefundOrderPayload: { order: (p, _, ctx) => orderOf(p, ctx) },
  WalletPayload: { wallet: (p, _, ctx) => (p.memberId && p.userErrors.length === 0 ? walletOf(ctx, p.memberId) : null) },
};
