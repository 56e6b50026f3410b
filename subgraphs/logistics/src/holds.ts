import { randomUUID } from "node:crypto";
import { deliveryWindow, isId } from "@o2o/runtime";
import { noteSlotChange } from "./cache-invalidation.ts";
import type { LogisticsContext } from "./context.ts";
import { isPickup, staticRefusal, type HoldInput, type Refusal } from "./hold-rules.ts";
import { findSlot, MAX_DAYS_AHEAD } from "./slots.ts";
import { move, track, type Tx } from "./transitions.ts";

/**
 * Holding a fulfilment at checkout (payments calls it before writing the order): the store must offer the pickup
 * type and keep the goods' temperature, the slot must exist, lie ahead (≤ 30 days) and have room. The hold is an
 * AWAITING_PAYMENT fulfilment that counts against its slot until it is paid (payment.captured) or released.
 */
export interface HoldAnswer {
  ok: boolean;
  code: string | null;
  message: string | null;
  fulfillmentId: string | null;
}

const held = (fulfillmentId: string): HoldAnswer => ({ ok: true, code: null, message: null, fulfillmentId });
const refused = ({ code, message }: Refusal): HoldAnswer => ({ ok: false, code, message, fulfillmentId: null });

/** Thrown inside the booking transaction so that a refusal found under the slot lock rolls everything back. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export async function holdFulfillment(ctx: LogisticsContext, raw: HoldInput): Promise<HoldAnswer> {
  if (![raw.orderId, raw.storeId, raw.memberId].every(isId)) return refused({ code: "INVALID_INPUT", message: "orderId, memberId and storeId must be UUIDs." });
  const input = { ...raw, orderId: raw.orderId.toLowerCase(), storeId: raw.storeId.toLowerCase(), memberId: raw.memberId.toLowerCase() };
  // Idempotent on the order: a retried checkout gets the hold it already has.
  const existing = await ctx.loaders.fulfillmentByOrderId.load(input.orderId);
  if (existing) return held(existing.id);
  const problem = staticRefusal(input);
  if (problem) return refused(problem);
  try {
    // A slot transaction: once the booking commits, the store's cached pickup slots are invalidated.
    return held(await ctx.slotTx((tx) => book(tx, input)));
  } catch (error) {
    if (error instanceof Refused) return refused(error.refusal);
    // Two holds for one order at once: the loser hits the unique order_id and answers like a replay.
    const winner = await ctx.prisma.fulfillment.findUnique({ where: { orderId: input.orderId } });
    if (winner) return held(winner.id);
    throw error;
  }
}

async function book(tx: Tx, input: HoldInput): Promise<string> {
  const slot = isPickup(input.type) ? await claimSlot(tx, input.storeId, input.slotId!) : null;
  const id = randomUUID();
  const now = new Date();
  await tx.fulfillment.create({
    data: {
      id,
      orderId: input.orderId,
      memberId: input.memberId,
      type: input.type,
      status: "AWAITING_PAYMENT",
      storeId: input.storeId,
      slotStartsAt: slot?.startsAt ?? null,
      slotEndsAt: slot?.endsAt ?? null,
      taxFree: input.taxFree,
      requiresPassportCheck: input.taxFree,
      ...(isPickup(input.type) || !input.address ? {} : { address: { ...input.address } }),
      ...promisedWindow(input, now),
      idempotencyKey: `order:${input.orderId}`,
      createdAt: now,
    },
  });
  await track(tx, id, "AWAITING_PAYMENT", slot ? "Slot held until payment" : "Awaiting payment", now);
  if (slot) noteSlotChange(tx, input.storeId);
  return id;
}

/** A delivery's promised window, from the distance checkout measured (the rule `deliveryQuote` quotes). */
function promisedWindow(input: HoldInput, now: Date): { promisedEarliest?: Date; promisedLatest?: Date } {
  if (isPickup(input.type) || input.deliveryDistanceKm == null) return {};
  const window = deliveryWindow(input.deliveryDistanceKm, now);
  return { promisedEarliest: window.earliest, promisedLatest: window.latest };
}

/**
 * The slot behind the id, checked and locked for this transaction: concurrent holds on one slot queue on a
 * transaction-scoped advisory lock keyed by store and start, so counting the bookings and inserting this one cannot
 * interleave with another hold's (no oversell, on PostgreSQL and PGlite alike). AWAITING_PAYMENT holds count.
 */
async function claimSlot(tx: Tx, storeId: string, wanted: string): Promise<{ startsAt: Date; endsAt: Date }> {
  const slot = await findSlot(tx, storeId, wanted);
  if (!slot) throw new Refused({ code: "SLOT_UNKNOWN", message: "That slot is not one of this store's (Store.pickupSlots lists them)." });
  if (slot.startsAt.getTime() <= Date.now()) throw new Refused({ code: "SLOT_IN_PAST", message: "That slot has already started; pick a later one." });
  if (slot.daysAhead > MAX_DAYS_AHEAD) throw new Refused({ code: "SLOT_TOO_FAR", message: `Slots can be booked at most ${MAX_DAYS_AHEAD} days ahead.` });
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${storeId}::text || ${slot.startsAt.toISOString()}::text))`;
  const booked = await tx.fulfillment.count({ where: { storeId, slotStartsAt: slot.startsAt, status: { not: "CANCELLED" } } });
  if (booked >= slot.capacity) throw new Refused({ code: "SLOT_FULL", message: "That slot is full; pick another one." });
  return slot;
}

/** Checkout compensation: cancels a hold that was never paid (freeing its slot); anything further along is left alone. */
export async function releaseHold(tx: Tx, orderId: string): Promise<void> {
  const f = await tx.fulfillment.findUnique({ where: { orderId } });
  if (f && (await move(tx, f.id, ["AWAITING_PAYMENT"], "CANCELLED", "Checkout did not complete; slot released")) && f.storeId && f.slotStartsAt) noteSlotChange(tx, f.storeId);
}
