import { randomUUID } from "node:crypto";
import { Prisma } from "./generated/prisma/client.ts";
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

/**
 * Locks the member's row until the transaction ends: every ledger write of one member queues here, so a writer
 * that waited sees what the one before it committed (its idempotency key, its balance). False: no such member.
 */
export async function lockMember(tx: Tx, memberId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "members"."member" WHERE "id" = ${memberId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

/** The entry written, the one written earlier under the same key, or null (unknown member, or not covered). */
export async function addEntry(tx: Tx, e: Entry): Promise<PointsLedgerEntryModel | null> {
  if (!(await lockMember(tx, e.memberId))) return null;
  const earlier = await tx.pointsLedgerEntry.findUnique({ where: { idempotencyKey: e.key } });
  if (earlier) return earlier;
  const tierDelta = NOT_FOR_TIER.has(e.reason) ? 0 : e.points;
  // Lifetime points never go below zero (a reversal after a negative adjustment): the tier floor is BASIC.
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    UPDATE "members"."member"
       SET "points_balance" = "points_balance" + ${e.points}::int, "lifetime_points" = GREATEST(0, "lifetime_points" + ${tierDelta}::int)
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

/** Whether an error is a unique-constraint violation (e.g. two writers raced for one idempotency key). */
export const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Runs `work` (a whole transaction) again once if it lost a race on a unique key: the second run finds the
 * winner's row and answers from it. Only the same key used for two different members can race past the lock.
 */
export async function retryOnKeyRace<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return work();
  }
}

/** 1 point per full 100 JPY paid with money. */
export const pointsFor = (amount: number) => (Number.isFinite(amount) ? Math.max(0, Math.floor(amount / 100)) : 0);
