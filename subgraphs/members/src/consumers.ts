import { isId, type EventEffect, type EventEnvelope } from "@o2o/runtime";
import { award, restoreRedemption, reverse, reverseLine } from "./awards.ts";
import type { Prisma } from "./generated/prisma/client.ts";

type Effect = EventEffect<Prisma.TransactionClient>;

/**
 * Members' reactions to payments' events (schema/commerce-flows.md), each applied once (processed_event) and
 * each writing under a key derived from the order, so two different events for one order cannot apply twice.
 * A payload without a usable order or member is skipped, not retried: a retry could never succeed and would
 * hold up every event behind it.
 */
export const effects: Record<string, Effect> = {
  "payment.captured": (tx, e) => {
    const ids = orderAndMember(e);
    const currency = typeof e.payload.currency === "string" ? e.payload.currency : null;
    return ids ? award(tx, { ...ids, currency, pointsEligibleAmount: int(e.payload.pointsEligibleAmount), retailerId: uuid(e.payload.retailerId) }) : skip();
  },
  "order.refunded": (tx, e) => {
    const ids = orderAndMember(e);
    return ids ? reverse(tx, { ...ids, pointsRedeemed: int(e.payload.pointsRedeemed) }) : skip();
  },
  "order.line_refunded": (tx, e) => {
    const orderId = uuid(e.payload.orderId);
    const lineId = uuid(e.payload.lineId);
    const remaining = e.payload.remainingAmount;
    return orderId && lineId && typeof remaining === "number" && Number.isSafeInteger(remaining) && remaining >= 0 ? reverseLine(tx, { orderId, lineId, remainingAmount: remaining }) : skip();
  },
  "payment.voided": (tx, e) => {
    const ids = orderAndMember(e);
    const key = e.payload.redemptionKey;
    return ids && typeof key === "string" && key ? restoreRedemption(tx, { ...ids, redemptionKey: key }) : skip();
  },
};

const skip = () => Promise.resolve();
const int = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) ? v : 0);
const uuid = (v: unknown) => (typeof v === "string" && isId(v) ? v.toLowerCase() : null);

function orderAndMember(e: EventEnvelope): { orderId: string; memberId: string } | null {
  const orderId = uuid(e.payload.orderId);
  const memberId = uuid(e.payload.memberId);
  return orderId && memberId ? { orderId, memberId } : null;
}
