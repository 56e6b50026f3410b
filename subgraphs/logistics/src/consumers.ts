import type { EventEffect } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import { cancelFulfillment } from "./holds.ts";
import { activate } from "./lifecycle.ts";

type Effect = EventEffect<Prisma.TransactionClient>;
const orderIdOf = (payload: Record<string, unknown>) => String(payload.orderId);

/** Logistics' reactions to payments' events (schema/commerce-flows.md), each applied once. */
export const effects: Record<string, Effect> = {
  "payment.captured": (tx, e) => activate(tx, orderIdOf(e.payload)),
  "order.cancelled": async (tx, e) => void (await cancelFulfillment(tx, orderIdOf(e.payload), ["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP"], "Order cancelled")),
  "order.refunded": async (tx, e) => void (await cancelFulfillment(tx, orderIdOf(e.payload), ["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP", "OUT_FOR_DELIVERY"], "Order refunded")),
};
