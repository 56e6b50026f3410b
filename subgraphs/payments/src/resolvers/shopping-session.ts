import type { PaymentsContext } from "../context.ts";
import type { MutationResolvers, Resolvers } from "../generated/graphql.ts";
import { memberActing, money, orderReference } from "../orders.ts";
import { memberDefaultMethod, setDefaultPaymentMethod } from "../checkout-free/default-method.ts";
import { disputeReceiptLine } from "../checkout-free/disputes.ts";
import { issueEntryPass } from "../checkout-free/entry-pass.ts";
import { disputableUntil, lineDispute, receiptLines, receiptOf, refundedBy } from "../checkout-free/receipts.ts";
import { basketOf, closeShoppingSession, openShoppingSession, recordShelfEvent } from "../checkout-free/sessions.ts";

/** Checkout-free stores: thin resolvers over src/checkout-free/ (merged into the subgraph's resolvers in index.ts). */
export const checkoutFreeMutations: Pick<MutationResolvers, "setDefaultPaymentMethod" | "issueEntryPass" | "openShoppingSession" | "recordShelfEvent" | "closeShoppingSession" | "disputeReceiptLine"> = {
  // Members only (keys FORBIDDEN).
  setDefaultPaymentMethod: (_, { input }, ctx) => setDefaultPaymentMethod(ctx, memberActing(ctx, "payments:write", "save a payment method"), input),
  issueEntryPass: (_, { storeId }, ctx) => issueEntryPass(ctx, memberActing(ctx, "orders:write", "enter a checkout-free store"), storeId),
  disputeReceiptLine: (_, { input }, ctx) => disputeReceiptLine(ctx, memberActing(ctx, "payments:write", "dispute a receipt"), input),
  // Device keys with sensors:write serving the store (checked in the services).
  openShoppingSession: (_, { input }, ctx) => openShoppingSession(ctx, input.pass),
  recordShelfEvent: (_, { input }, ctx) => recordShelfEvent(ctx, input),
  closeShoppingSession: (_, { input }, ctx) => closeShoppingSession(ctx, input),
};

const sessionOf = (p: { sessionId: string | null; userErrors: unknown[] }, ctx: PaymentsContext) =>
  p.sessionId && p.userErrors.length === 0 ? ctx.loaders.sessionById.load(p.sessionId) : null;

export const checkoutFreeTypes: Pick<
  Resolvers,
  "DefaultPaymentMethodPayload" | "EntryPass" | "EntryPassPayload" | "ShoppingSession" | "BasketLine" | "ShoppingSessionPayload" | "Receipt" | "ReceiptLine" | "LineDispute" | "DisputeReceiptLinePayload"
> = {
  DefaultPaymentMethodPayload: {
    defaultPaymentMethod: (p, _, ctx) => (p.memberId && p.userErrors.length === 0 ? ctx.prisma.defaultPaymentMethod.findUnique({ where: { memberId: p.memberId } }) : null),
  },
  EntryPass: { store: (pass) => ({ id: pass.storeId }) },
  EntryPassPayload: {},
  ShoppingSession: {
    store: (s) => ({ id: s.storeId }),
    basket: async (s, _, ctx) => basketOf(await ctx.loaders.shelfEventsBySession.load(s.id)),
    charged: async (s, _, ctx) => {
      const order = s.orderId ? await ctx.loaders.orderById.load(s.orderId) : null;
      return order ? money(order.totalAmount, order.currency) : null;
    },
    // The rule of order(id): the member, keys of the retailer holding an order scope; a sensor key sees null.
    order: (s, _, ctx) => (s.orderId ? orderReference(ctx, s.orderId) : null),
  },
  BasketLine: { product: (l) => ({ id: l.productId }) },
  ShoppingSessionPayload: { session: (p, _, ctx) => sessionOf(p, ctx) },
  Receipt: {
    number: (r) => r.order.number,
    store: (r) => ({ id: r.session.storeId }),
    enteredAt: (r) => r.session.openedAt,
    exitedAt: (r) => r.session.closedAt!,
    lines: (r, _, ctx) => receiptLines(ctx, r),
    total: (r) => money(r.order.totalAmount, r.order.currency),
    tenders: (r, _, ctx) => ctx.loaders.paymentsByOrder.load(r.order.id),
    refunded: async (r, _, ctx) => money(await refundedBy(ctx, r), r.order.currency),
    disputableUntil: (r) => disputableUntil(r.session),
  },
  ReceiptLine: {
    product: (l) => (l.productId ? { id: l.productId } : null),
    unitPrice: (l) => money(l.unitPriceAmount, l.currency),
    lineTotal: (l) => money(l.lineTotalAmount, l.currency),
    dispute: (l, _, ctx) => lineDispute(ctx, l),
  },
  LineDispute: { refund: (d) => money(d.refundAmount, d.currency) },
  DisputeReceiptLinePayload: {
    receipt: async (p, _, ctx) => {
      if (!p.orderId || p.userErrors.length) return null;
      const order = await ctx.loaders.orderById.load(p.orderId);
      return order ? receiptOf(ctx, order) : null;
    },
    dispute: (p, _, ctx) => (p.disputeId && p.userErrors.length === 0 ? ctx.prisma.lineDispute.findUnique({ where: { id: p.disputeId } }) : null),
  },
};

/** Fields checkout-free adds to Member and Order. */
export const memberDefaultPaymentMethod: Pick<NonNullable<Resolvers["Member"]>, "defaultPaymentMethod"> = { defaultPaymentMethod: (member, _, ctx) => memberDefaultMethod(ctx, member) };
export const orderReceipt: Pick<NonNullable<Resolvers["Order"]>, "receipt"> = { receipt: (order, _, ctx) => receiptOf(ctx, order) };
