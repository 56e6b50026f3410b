import { isId, type EventEffect, type EventEnvelope } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import { activate, cancelWithOrder } from "./lifecycle.ts";
import { serviceAuthorized, serviceChargeCancelled, servicePaid, serviceRefunded } from "./services/charge.ts";

type Effect = EventEffect<Prisma.TransactionClient>;

/** The order an event is about; a malformed id is skipped (there is no fulfilment to change, and retrying cannot help). */
const orderIdOf = (e: EventEnvelope): string | null => {
  const id = e.payload.orderId;
  return typeof id === "string" && isId(id) ? id.toLowerCase() : null;
};

const forOrder =
  (effect: (tx: Prisma.TransactionClient, orderId: string) => Promise<void>): Effect =>
  async (tx, e) => {
    const orderId = orderIdOf(e);
    if (orderId) await effect(tx, orderId);
  };

/** Logistics' reactions to payments' events (schema/commerce-flows.md), each applied once (runtime consumer). */
export const effects: Record<string, Effect> = {
  // Each also moves the payment state of a service order the payments order charges (src/services/charge.ts).
  "payment.captured": forOrder(async (tx, orderId) => void (await activate(tx, orderId), await servicePaid(tx, orderId))),
  // Authorised (pay at pickup): prepared just the same; the money is captured at handover.
  "payment.authorized": forOrder(async (tx, orderId) => void (await activate(tx, orderId), await serviceAuthorized(tx, orderId))),
  "order.cancelled": forOrder(async (tx, orderId) => void (await cancelWithOrder(tx, orderId, "Order cancelled"), await serviceChargeCancelled(tx, orderId))),
  "order.refunded": forOrder(async (tx, orderId) => void (await cancelWithOrder(tx, orderId, "Order refunded"), await serviceRefunded(tx, orderId))),
};
