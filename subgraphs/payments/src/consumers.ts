import { Refusal } from "@o2o/runtime";
import type { EventEffect } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import { captureAuthorized } from "./capture.ts";
import { cancel } from "./refunds.ts";

type Effect = EventEffect<Prisma.TransactionClient>;

/** An unpaid order whose stock hold expired is cancelled (and `order.cancelled` frees its slot). */
const stockReleased: Effect = async (tx, event) => {
  const { orderId, reason } = event.payload as { orderId: string; reason: string };
  if (reason !== "EXPIRED") return;
  try {
    await cancel(tx, orderId, "RESERVATION_EXPIRED", ["PENDING_PAYMENT"]);
  } catch (error) {
    // Paid meanwhile, or cancelled already: nothing to do.
    if (!(error instanceof Refusal)) throw error;
  }
};

/** Handed over or delivered: a paid order is complete; an authorised one is captured now (pay on pickup). */
const fulfillmentCompleted: Effect = async (tx, event) => {
  const { orderId } = event.payload as { orderId: string };
  if (await captureAuthorized(tx, orderId, true)) return;
  await tx.customerOrder.updateMany({ where: { id: orderId, status: "PAID" }, data: { status: "COMPLETED" } });
};

export const effects: Record<string, Effect> = {
  "stock.released": stockReleased,
  "fulfillment.completed": fulfillmentCompleted,
  // A service order (logistics) collected or delivered: the order that charged it is complete, just the same.
  "service.completed": fulfillmentCompleted,
};
