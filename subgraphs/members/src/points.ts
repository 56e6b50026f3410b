import { randomUUID } from "node:crypto";
import type { Prisma } from "./generated/prisma/client.ts";
import type { PointsReason } from "./generated/prisma/enums.ts";
import type { PointsLedgerEntryModel } from "./generated/prisma/models.ts";

/**
 * Every change to a balance goes through `addEntry`: one ledger row (never edited) and the member's running
 * totals, in the caller's transaction. Spending is a conditional UPDATE (`balance + points >= 0`), so concurrent
 * redemptions can never overdraw; reversals of earned points may (the points were already spent) — the balance
 * then shows what the member owes.
 */
type Tx = Prisma.TransactionClient;

/** Reasons whose points do not count towards the tier (spending and giving spent points back). */
const NOT_FOR_TIER = new Set<PointsReason>(["REDEMPTION", "REDEMPTION_REFUND"]);

export interface Entry {
  memberId: string;
  points: number;
  reason: PointsReason;
  description: string;
  orderId?: string | null;
  sourceRetailerId?: string | null;
  /** Unique per effect: a second entry with the same key is never written. */
  key: string;
  /** Refuse (null) rather than let the balance go below zero. */
  mustCover?: boolean;
}

/** The entry written, the one written earlier under the same key, or null (unknown member, or not covered). */
export async function addEntry(tx: Tx, e: Entry): Promise<PointsLedgerEntryModel | null> {
  const earlier = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: e.key } });
  if (earlier) return earlier;
  const tierDelta = NOT_FOR_TIER.has(e.reason) ? 0 : e.points;
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    UPDATE "members"."member"
       SET "points_balance" = "points_balance" + ${e.points}::int, "lifetime_points" = "lifetime_points" + ${tierDelta}::int
     WHERE "id" = ${e.memberId}::uuid AND (${!e.mustCover}::boolean OR "points_balance" + ${e.points}::int >= 0)
    RETURNING "points_balance" AS "balance"`;
  const balance = rows[0]?.balance;
  if (balance === undefined) return null;
  return tx.pointsLedgerEntry.create({
    data: {
      id: randomUUID(),
      memberId: e.memberId,
      points: e.points,
      balanceAfter: balance,
      reason: e.reason,
      description: e.description,
      orderId: e.orderId ?? null,
      sourceRetailerId: e.sourceRetailerId ?? null,
      idempotencyKey: e.key,
    },
  });
}

/** 1 point per full 100 JPY paid with money. */
export const pointsFor = (amount: number) => Math.max(0, Math.floor(amount / 100));
