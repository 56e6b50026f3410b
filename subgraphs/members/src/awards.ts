import type { Prisma } from "./generated/prisma/client.ts";
import { addEntry, pointsFor } from "./points.ts";

/**
 * Points that follow an order's money, applied by the consumer (schema/commerce-flows.md). Each writes under a
 * key derived from the order, so no pair of events can award or reverse one order twice.
 */
type Tx = Prisma.TransactionClient;

export interface Captured {
  orderId: string;
  memberId: string;
  pointsEligibleAmount: number;
  retailerId: string | null;
}

export async function award(tx: Tx, p: Captured): Promise<void> {
  const points = pointsFor(p.pointsEligibleAmount);
  if (!points) return;
  await addEntry(tx, { memberId: p.memberId, points, reason: "PURCHASE", description: "Points earned on your order", orderId: p.orderId, sourceRetailerId: p.retailerId, key: `award:${p.orderId}` });
}

/** A refund takes back what the order earned and gives back what it spent. */
export async function reverse(tx: Tx, p: { orderId: string; memberId: string; pointsRedeemed?: number }): Promise<void> {
  const earned = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: `award:${p.orderId}` } });
  if (earned) {
    await addEntry(tx, { memberId: p.memberId, points: -earned.points, reason: "REFUND_REVERSAL", description: "Points of a refunded order taken back", orderId: p.orderId, sourceRetailerId: earned.sourceRetailerId, key: `reverse:${p.orderId}` });
  }
  if (p.pointsRedeemed) {
    await addEntry(tx, { memberId: p.memberId, points: p.pointsRedeemed, reason: "REDEMPTION_REFUND", description: "Points spent on a refunded order given back", orderId: p.orderId, key: `refund-redemption:${p.orderId}` });
  }
}

/** A payment that failed after its points were taken: give exactly those back. */
export async function restoreRedemption(tx: Tx, p: { orderId: string; memberId: string; redemptionKey: string }): Promise<void> {
  const taken = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: p.redemptionKey } });
  if (!taken || taken.reason !== "REDEMPTION") return;
  await addEntry(tx, { memberId: p.memberId, points: -taken.points, reason: "REDEMPTION_REFUND", description: "Points of a failed payment given back", orderId: p.orderId, key: `void:${p.redemptionKey}` });
}
