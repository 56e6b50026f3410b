import type { PaymentsContext } from "../context.ts";
import type { MutationResolvers, Resolvers } from "../generated/graphql.ts";
import { capturePayment } from "../capture.ts";
import { checkout } from "../checkout.ts";
import { memberActing } from "../orders.ts";
import { payOrder } from "../pay.ts";
import { checkoutServiceOrder } from "../service-checkout.ts";
import { cancelOrder, refundOrder } from "../refunds.ts";
import { bindPrepaidCard, issuePrepaidCard, topUpWallet, walletOf } from "../wallet.ts";

/** Thin: who is calling, then the service; payloads resolve their order or wallet from the stored answer. */
export const Mutation: MutationResolvers = {
  // Members only (scope checked here too, behind the gateway); keys get FORBIDDEN.
  checkout: (_, { input }, ctx) => checkout(ctx, memberActing(ctx, "orders:write", "place orders"), input),
  payOrder: (_, { input }, ctx) => payOrder(ctx, memberActing(ctx, "orders:write", "pay orders"), input),
  checkoutServiceOrder: (_, { input }, ctx) => checkoutServiceOrder(ctx, memberActing(ctx, "orders:write", "check out service orders"), input),
  cancelOrder: (_, { input }, ctx) => (memberActing(ctx, "orders:write", "cancel orders"), cancelOrder(ctx, input.orderId)),
  topUpWallet: (_, { input }, ctx) => topUpWallet(ctx, memberActing(ctx, "payments:write", "top up a wallet"), input.amount, input.cardToken, input.idempotencyKey),
  bindPrepaidCard: (_, { input }, ctx) => bindPrepaidCard(ctx, memberActing(ctx, "payments:write", "bind a card"), input.number, input.pin),
  // The member, or an API key bound to the order's retailer (a platform key: any): decided in the services.
  capturePayment: (_, { input }, ctx) => capturePayment(ctx, input.orderId, input.idempotencyKey),
  refundOrder: (_, { input }, ctx) => refundOrder(ctx, input.orderId, input.idempotencyKey),
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
