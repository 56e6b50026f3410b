import { byKeys, groupByKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { CustomerOrderModel, OrderLineModel, PaymentModel } from "./generated/prisma/models.ts";
import { checkoutFreeLoaders } from "./checkout-free/loaders.ts";
import { orderPages, type OrderPageKey } from "./orders.ts";

/** Per-request batchers: one SQL statement per kind per tick, whatever the number of orders or members. */
export function createLoaders(prisma: PrismaClient) {
  return {
    ...checkoutFreeLoaders(prisma),
    orderById: new DataLoader<string, CustomerOrderModel | null>(async (ids) =>
      byKeys(ids, await prisma.customerOrder.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id),
    ),
    /** All lines of all orders of a tick (a page of orders, several members' pages) in one statement. */
    linesByOrderId: new DataLoader<string, OrderLineModel[]>(async (ids) =>
      groupByKeys(
        ids,
        await prisma.orderLine.findMany({ where: { orderId: { in: [...ids] } }, orderBy: [{ orderId: "asc" }, { position: "asc" }] }),
        (l) => l.orderId,
      ),
    ),
    /** The tenders of all orders of a tick, in one statement. */
    paymentsByOrder: new DataLoader<string, PaymentModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.payment.findMany({ where: { orderId: { in: [...ids] } }, orderBy: [{ orderId: "asc" }, { position: "asc" }] }), (p) => p.orderId),
    ),
    /** One page of one member's (or retailer's) orders per key; all keys of a tick in one statement per kind (see orderPages). */
    orderPage: new DataLoader<OrderPageKey, CustomerOrderModel[], string>((keys) => orderPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.by, k.id, k.take, k.after]),
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
