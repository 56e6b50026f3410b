import { isId, logger, type EventEffect, type EventEnvelope } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import { commit, release } from "./settlement.ts";

type Effect = EventEffect<Prisma.TransactionClient>;

/** The event's order id; a malformed one is logged and skipped (retrying would never make it valid). */
function orderIdOf(event: EventEnvelope): string | null {
  const orderId = event.payload.orderId;
  if (typeof orderId === "string" && isId(orderId)) return orderId.toLowerCase();
  logger.warn({ eventId: event.id, type: event.type }, "event without a valid orderId skipped");
  return null;
}

/**
 * Stores' reactions to payments' events (schema/commerce-flows.md), each applied once per event id by the runtime, in a
 * stock transaction (server.ts): the products whose stock they return or take again are invalidated in the read cache
 * once it commits.
 */
export const effects: Record<string, Effect> = {
  // Paid: the hold never expires (or is taken again if it was released before the payment arrived).
  "payment.captured": async (tx, e) => {
    const orderId = orderIdOf(e);
    if (orderId) await commit(tx, orderId);
  },
  // Authorised (captured at handover): the money is held, so the stock is too.
  "payment.authorized": async (tx, e) => {
    const orderId = orderIdOf(e);
    if (orderId) await commit(tx, orderId);
  },
  "order.cancelled": async (tx, e) => {
    const orderId = orderIdOf(e);
    // An authorised order's stock was committed; cancelling it (a void) returns that too.
    if (orderId) await release(tx, orderId, "CANCELLED", ["HELD", "COMMITTED"]);
  },
  // A refunded order's goods come back into stock, whether they were still held or already paid for.
  "order.refunded": async (tx, e) => {
    const orderId = orderIdOf(e);
    if (orderId) await release(tx, orderId, "REFUNDED", ["HELD", "COMMITTED"]);
  },
};
