import { enqueue, logger, type InTransaction } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import type { ReservationStatus } from "./generated/prisma/enums.ts";
import { inLockOrder, lockRow, returnRow, takeRow } from "./stock-rows.ts";

/**
 * What becomes of a hold after `reserveStock`: paid (COMMITTED, never expires), or RELEASED with its stock
 * back on the shelf (cancelled, refunded, or unpaid past its expiry). Every change is conditional on the
 * status it leaves, so replays, racing replicas and redelivered events change nothing twice.
 */
type Tx = Prisma.TransactionClient;

export type ReleaseReason = "EXPIRED" | "CANCELLED" | "REFUNDED";

/** An expired hold is released this long after `expiresAt`, so a payment made at the last second still finds it. */
export const EXPIRY_GRACE_MS = 60_000;
/** Holds released per transaction batch by the sweeper. */
const SWEEP_BATCH = 200;

/**
 * Returns a reservation's stock if its status is one of `from`, records why, and announces `stock.released`
 * in the same transaction. Returns whether it released anything (false: already released, or never reserved).
 */
export async function release(tx: Tx, orderId: string, reason: ReleaseReason, from: ReservationStatus[]): Promise<boolean> {
  const done = await tx.stockReservation.updateMany({ where: { orderId, status: { in: from } }, data: { status: "RELEASED", releaseReason: reason, releasedAt: new Date() } });
  if (done.count !== 1) return false;
  const lines = (await tx.stockReservationLine.findMany({ where: { orderId }, orderBy: { position: "asc" } })).map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity }));
  for (const line of inLockOrder(lines)) await returnRow(tx, line);
  await enqueue(tx, "stores", "stock.released", { orderId, reason, lines });
  return true;
}

/**
 * Paid: a HELD reservation becomes COMMITTED and never expires. One released before the payment arrived
 * (expired, or cancelled by a checkout that gave up) is taken again if every line is still on the shelf —
 * all lines or none — and otherwise logged: the order was paid for goods that are gone.
 */
export async function commit(tx: Tx, orderId: string): Promise<void> {
  const done = await tx.stockReservation.updateMany({ where: { orderId, status: "HELD" }, data: { status: "COMMITTED" } });
  if (done.count === 1) return;
  const found = await tx.stockReservation.findUnique({ where: { orderId }, include: { lines: true } });
  // Refunded goods were paid for and given back: a payment event for them changes nothing.
  if (found?.status !== "RELEASED" || found.releaseReason === "REFUNDED") return;
  const lines = inLockOrder(found.lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity })));
  // Lock every row first (in lock order), then decide: no line is taken unless all can be.
  for (const line of lines) {
    if ((await lockRow(tx, line)) < line.quantity) {
      logger.warn({ orderId, productId: line.productId, storeId: line.storeId, releaseReason: found.releaseReason }, "paid after its stock hold was released and the stock is gone: needs a refund or a restock");
      return;
    }
  }
  for (const line of lines) await takeRow(tx, line);
  await tx.stockReservation.update({ where: { orderId }, data: { status: "COMMITTED", releaseReason: null, releasedAt: null } });
}

/**
 * The sweeper: releases (reason EXPIRED) every HELD reservation whose `expiresAt` + grace is before `now`,
 * one transaction each, and returns how many. Safe on every replica at once: a hold released by another
 * (or paid meanwhile) is no longer HELD and is skipped. Each release invalidates its products in the read
 * cache once it has committed (stock transactions).
 */
export async function releaseExpiredReservations(prisma: PrismaClient, inStockTx: InTransaction<Tx>, now: Date = new Date(), kick: () => void = () => undefined): Promise<number> {
  const cutoff = new Date(now.getTime() - EXPIRY_GRACE_MS);
  let released = 0;
  for (;;) {
    const expired = await prisma.stockReservation.findMany({
      where: { status: "HELD", expiresAt: { lt: cutoff } },
      select: { orderId: true },
      orderBy: { expiresAt: "asc" },
      take: SWEEP_BATCH,
    });
    let thisBatch = 0;
    for (const { orderId } of expired) {
      if (await inStockTx((tx) => release(tx, orderId, "EXPIRED", ["HELD"]))) thisBatch++;
    }
    released += thisBatch;
    // A short batch was the last one; a batch that released nothing means others are sweeping the same rows.
    if (expired.length < SWEEP_BATCH || thisBatch === 0) break;
  }
  if (released) kick();
  return released;
}
