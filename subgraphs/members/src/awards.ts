import type { Prisma } from "./generated/prisma/client.ts";
import { addEntry, lockMember, pointsFor } from "./points.ts";

/**
 * Points that follow an order's money, applied by the consumer (schema/commerce-flows.md). Each writes under a
 * key derived from the order or the redemption, so no pair of events can award or reverse one order twice, and
 * spent points are only ever given back up to what the order really took.
 */
type Tx = Prisma.TransactionClient;

export interface Captured {
  orderId: string;
  memberId: string;
  currency: string | null;
  pointsEligibleAmount: number;
  retailerId: string | null;
}

export interface Refunded {
  orderId: string;
  memberId: string;
  pointsRedeemed: number;
}

export interface Voided {
  orderId: string;
  memberId: string;
  redemptionKey: string;
}

/** `payment.captured`: 1 point per full 100 JPY paid with money, sourced to the store's retailer. */
export async function award(tx: Tx, p: Captured): Promise<void> {
  // Points are a JPY programme (1 point = 1 JPY); an order in another currency earns none.
  if (p.currency !== null && p.currency !== "JPY") return;
  const points = pointsFor(p.pointsEligibleAmount);
  if (!points) return;
  await addEntry(tx, { memberId: p.memberId, points, reason: "PURCHASE", description: "Points earned on your order", orderId: p.orderId, sourceRetailerId: p.retailerId, key: `award:${p.orderId}` });
}

/**
 * `order.refunded`: takes back what the order earned — even if already spent, so the balance may go below zero
 * (the member owes the points) — and gives back what it spent.
 */
export async function reverse(tx: Tx, p: Refunded): Promise<void> {
  await keepPointsOf(tx, p.orderId, 0, "Points of a refunded order taken back", `reverse:${p.orderId}`);
  await giveBack(tx, { memberId: p.memberId, orderId: p.orderId, wanted: p.pointsRedeemed, key: `refund-redemption:${p.orderId}`, description: "Points spent on a refunded order given back" });
}

export interface LineRefunded {
  orderId: string;
  lineId: string;
  /** What the order still holds after this refund. */
  remainingAmount: number;
}

/** `order.line_refunded` (a disputed checkout-free receipt line): the order keeps the points of what it still holds. */
export async function reverseLine(tx: Tx, p: LineRefunded): Promise<void> {
  await keepPointsOf(tx, p.orderId, p.remainingAmount, "Points of a disputed line taken back", `reverse-line:${p.lineId}`);
}

/**
 * Takes back what an order earned beyond the points of `keptAmount` (what it still holds): its PURCHASE award minus
 * what earlier reversals took. Refunds in any order, and a full refund after partial ones, never take back too much.
 */
async function keepPointsOf(tx: Tx, orderId: string, keptAmount: number, description: string, key: string): Promise<void> {
  const earned = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: `award:${orderId}` } });
  if (!earned) return;
  const net = await tx.pointsLedgerEntry.aggregate({ _sum: { points: true }, where: { orderId, reason: { in: ["PURCHASE", "REFUND_REVERSAL"] } } });
  const excess = (net._sum.points ?? 0) - pointsFor(keptAmount);
  if (excess <= 0) return;
  await addEntry(tx, { memberId: earned.memberId, points: -excess, reason: "REFUND_REVERSAL", description, orderId, sourceRetailerId: earned.sourceRetailerId, key });
}

/** `payment.voided`: a payment failed after its points were taken under `redemptionKey`: give exactly those back. */
export async function restoreRedemption(tx: Tx, p: Voided): Promise<void> {
  const taken = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: p.redemptionKey } });
  if (!taken || taken.reason !== "REDEMPTION") return;
  await giveBack(tx, { memberId: taken.memberId, orderId: taken.orderId ?? p.orderId, wanted: -taken.points, key: `void:${p.redemptionKey}`, description: "Points of a failed payment given back" });
}

/**
 * A REDEMPTION_REFUND of `wanted` points, capped at what the order's redemptions still hold (taken minus given
 * back): a void and a refund of the same redemption, or a refund naming more points than were taken, can
 * never give back more than was spent.
 */
async function giveBack(tx: Tx, g: { memberId: string; orderId: string; wanted: number; key: string; description: string }): Promise<void> {
  if (g.wanted <= 0 || !(await lockMember(tx, g.memberId))) return;
  const net = await tx.pointsLedgerEntry.aggregate({
    _sum: { points: true },
    where: { memberId: g.memberId, orderId: g.orderId, reason: { in: ["REDEMPTION", "REDEMPTION_REFUND"] } },
  });
  const points = Math.min(g.wanted, -(net._sum.points ?? 0));
  if (points <= 0) return;
  await addEntry(tx, { memberId: g.memberId, points, reason: "REDEMPTION_REFUND", description: g.description, orderId: g.orderId, key: g.key });
}
