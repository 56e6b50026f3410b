import { randomUUID } from "node:crypto";
import type { Prisma } from "./generated/prisma/client.ts";
import type { FulfillmentStatus } from "./generated/prisma/enums.ts";

/** Status changes: each one conditional on the status it leaves, and recorded as a tracking event in the same transaction. */
export type Tx = Prisma.TransactionClient;

export const track = (tx: Tx, fulfillmentId: string, status: FulfillmentStatus, note: string | null, at: Date = new Date()) =>
  tx.trackingEvent.create({ data: { id: randomUUID(), fulfillmentId, status, at, note } });

/**
 * Moves a fulfilment from one of `from` to `to` (with any other column changes), or does nothing when it is no longer
 * in one of them — so two concurrent callers cannot both make the same change. Returns whether it moved.
 */
export async function move(
  tx: Tx,
  fulfillmentId: string,
  from: readonly FulfillmentStatus[],
  to: FulfillmentStatus,
  note: string | null,
  data: Omit<Prisma.FulfillmentUpdateManyMutationInput, "status"> = {},
): Promise<boolean> {
  const moved = await tx.fulfillment.updateMany({ where: { id: fulfillmentId, status: { in: [...from] } }, data: { ...data, status: to } });
  if (moved.count !== 1) return false;
  await track(tx, fulfillmentId, to, note);
  return true;
}
