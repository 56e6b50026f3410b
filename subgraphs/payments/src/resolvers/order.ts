import type { OrderLineResolvers, OrderResolvers } from "../generated/graphql.ts";
import { money, orderLines, orderReference } from "../orders.ts";

export const Order: OrderResolvers = {
  // Logistics and the gateway may resolve many orders at once: one batched SELECT, owner-only like `order(id)`.
  __resolveReference: (ref, ctx) => orderReference(ctx, ref.id),
  member: (order) => ({ id: order.memberId }),
  lines: (order, _, ctx) => orderLines(ctx, order),
  subtotal: (order) => money(order.subtotalAmount, order.currency),
  taxFreeAmount: (order) => money(order.taxFreeAmount, order.currency),
  total: (order) => money(order.totalAmount, order.currency),
  // A reference stub: the gateway asks stores for the store's fields.
  attributedStore: (order) => (order.attributedStoreId ? { id: order.attributedStoreId } : null),
  payments: (order, _, ctx) => ctx.loaders.paymentsByOrder.load(order.id),
};

export const OrderLine: OrderLineResolvers = {
  // A service line (channel SERVICE) has no product, only its description.
  product: (line) => (line.productId ? { id: line.productId } : null),
  store: (line) => ({ id: line.storeId }),
  unitPrice: (line) => money(line.unitPriceAmount, line.currency),
  lineTotal: (line) => money(line.lineTotalAmount, line.currency),
};
