import { randomUUID } from "node:crypto";
import { isId } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { FulfillmentType } from "./generated/prisma/enums.ts";
import { MAX_DAYS_AHEAD, slotId } from "./slots.ts";

/**
 * Holding a fulfilment at checkout (payments calls it before writing the order): the store must offer the
 * pickup type and hold the goods' temperature, the slot must exist, lie ahead (≤ 30 days) and have room.
 * The hold is an AWAITING_PAYMENT fulfilment that counts against the slot until it is paid or released.
 */
type Tx = Prisma.TransactionClient;

export interface HoldInput {
  orderId: string;
  memberId: string;
  type: FulfillmentType;
  storeId: string;
  slotId?: string | null;
  storeFormat: string;
  storeCapabilities: string[];
  temperatureClasses: string[];
  taxFree: boolean;
  address?: { recipient: string; line1: string; city: string; postalCode: string; country: string } | null;
}

export interface HoldAnswer {
  ok: boolean;
  code: string | null;
  message: string | null;
  fulfillmentId: string | null;
}

const no = (code: string, message: string): HoldAnswer => ({ ok: false, code, message, fulfillmentId: null });

class Refused extends Error {
  constructor(readonly answer: HoldAnswer) {
    super(answer.message ?? answer.code ?? "refused");
  }
}

/** What each pickup type needs from the store. */
function offersPickup(input: HoldInput): boolean {
  const caps = new Set(input.storeCapabilities);
  switch (input.type) {
    case "STORE_PICKUP":
      return caps.has("PICKUP") && input.storeFormat !== "PICKUP_POINT" && input.storeFormat !== "CONVENIENCE";
    case "CONVENIENCE_PICKUP":
      return caps.has("PICKUP") && input.storeFormat === "CONVENIENCE";
    case "PICKUP_POINT":
      return caps.has("PICKUP") && input.storeFormat === "PICKUP_POINT";
    case "HOME_DELIVERY":
      return caps.has("HOME_DELIVERY");
  }
}

/** Chilled goods need chilled (or frozen) storage at the point of handover; frozen goods need a freezer. */
function storageMissing(input: HoldInput): string | null {
  if (input.type === "HOME_DELIVERY") return null;
  const caps = new Set(input.storeCapabilities);
  if (input.temperatureClasses.includes("FROZEN") && !caps.has("FROZEN_STORAGE")) return "frozen";
  if (input.temperatureClasses.includes("CHILLED") && !caps.has("CHILLED_STORAGE") && !caps.has("FROZEN_STORAGE")) return "chilled";
  return null;
}

export async function holdFulfillment(ctx: LogisticsContext, input: HoldInput): Promise<HoldAnswer> {
  if (!isId(input.orderId) || !isId(input.storeId) || !isId(input.memberId)) return no("INVALID_INPUT", "orderId, memberId and storeId must be UUIDs.");
  const orderId = input.orderId.toLowerCase();
  const existing = await ctx.prisma.fulfillment.findUnique({ where: { orderId } });
  if (existing) return { ok: true, code: null, message: null, fulfillmentId: existing.id };
  if (!offersPickup(input)) return no("PICKUP_NOT_OFFERED", `This store does not offer ${input.type}.`);
  const missing = storageMissing(input);
  if (missing) return no("STORAGE_UNAVAILABLE", `This pickup point cannot keep ${missing} goods.`);
  if (input.type === "HOME_DELIVERY" && !input.address) return no("ADDRESS_REQUIRED", "A home delivery needs an address.");
  if (input.type !== "HOME_DELIVERY" && !input.slotId) return no("SLOT_REQUIRED", "A pickup needs a slot.");
  try {
    const id = await ctx.prisma.$transaction((tx) => book(tx, { ...input, orderId, storeId: input.storeId.toLowerCase() }));
    return { ok: true, code: null, message: null, fulfillmentId: id };
  } catch (error) {
    if (error instanceof Refused) return error.answer;
    throw error;
  }
}

async function book(tx: Tx, input: HoldInput): Promise<string> {
  const slot = input.slotId ? await lockSlot(tx, input.storeId, input.slotId) : null;
  const id = randomUUID();
  const now = new Date();
  await tx.fulfillment.create({
    data: {
      id,
      orderId: input.orderId,
      memberId: input.memberId.toLowerCase(),
      type: input.type,
      status: "AWAITING_PAYMENT",
      storeId: input.storeId,
      slotStartsAt: slot?.startsAt ?? null,
      slotEndsAt: slot?.endsAt ?? null,
      requiresPassportCheck: input.taxFree,
      ...(input.address ? { address: input.address } : {}),
      idempotencyKey: `order:${input.orderId}`,
      createdAt: now,
      trackingEvents: { create: { id: randomUUID(), status: "AWAITING_PAYMENT", at: now, note: slot ? "Slot held until payment" : "Awaiting payment" } },
    },
  });
  return id;
}

interface SlotRow {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  daysAhead: number;
}

/**
 * Finds the slot behind an id (ids are hashes of store + start, so the store's slots from a week back to
 * 31 days ahead are generated and matched) and locks it for this transaction: concurrent holds on one slot
 * queue on the advisory lock, so the capacity check and the insert cannot interleave.
 */
async function lockSlot(tx: Tx, storeId: string, wanted: string): Promise<{ startsAt: Date; endsAt: Date }> {
  const rows = await tx.$queryRaw<SlotRow[]>`
    SELECT ((g."day"::date + p."start_time") AT TIME ZONE p."time_zone") AS "startsAt",
           ((g."day"::date + p."end_time") AT TIME ZONE p."time_zone") AS "endsAt",
           p."capacity", (g."day"::date - (now() AT TIME ZONE p."time_zone")::date) AS "daysAhead"
    FROM "logistics"."pickup_slot_plan" p
    CROSS JOIN LATERAL generate_series((now() AT TIME ZONE p."time_zone")::date - 7, (now() AT TIME ZONE p."time_zone")::date + ${MAX_DAYS_AHEAD + 1}::int, interval '1 day') AS g("day")
    WHERE p."store_id" = ${storeId}::uuid
      AND p."weekday" = EXTRACT(ISODOW FROM g."day")
      AND (p."valid_from" IS NULL OR g."day"::date >= p."valid_from")
      AND (p."valid_until" IS NULL OR g."day"::date <= p."valid_until")`;
  const slot = rows.find((r) => slotId({ storeId, startsAt: r.startsAt }) === wanted.toLowerCase());
  if (!slot) throw new Refused(no("SLOT_UNKNOWN", "That slot is not one of this store's (Store.pickupSlots lists them)."));
  if (slot.startsAt.getTime() <= Date.now()) throw new Refused(no("SLOT_IN_PAST", "That slot has already started; pick a later one."));
  if (slot.daysAhead > MAX_DAYS_AHEAD) throw new Refused(no("SLOT_TOO_FAR", `Slots can be booked at most ${MAX_DAYS_AHEAD} days ahead.`));
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${storeId}@${slot.startsAt.toISOString()}`}))`;
  const booked = await tx.fulfillment.count({ where: { storeId, slotStartsAt: slot.startsAt, status: { not: "CANCELLED" } } });
  if (booked >= slot.capacity) throw new Refused(no("SLOT_FULL", "That slot is full; pick another one."));
  return { startsAt: slot.startsAt, endsAt: slot.endsAt };
}

/** Cancels a hold that was never paid; anything further along is left alone. */
export async function releaseHold(tx: Tx, orderId: string, note: string): Promise<boolean> {
  return cancelFulfillment(tx, orderId, ["AWAITING_PAYMENT"], note);
}

export async function cancelFulfillment(tx: Tx, orderId: string, from: ("AWAITING_PAYMENT" | "PENDING" | "READY_FOR_PICKUP" | "OUT_FOR_DELIVERY")[], note: string): Promise<boolean> {
  const found = await tx.fulfillment.findUnique({ where: { orderId } });
  if (!found) return false;
  const done = await tx.fulfillment.updateMany({ where: { id: found.id, status: { in: from } }, data: { status: "CANCELLED" } });
  if (done.count !== 1) return false;
  await tx.trackingEvent.create({ data: { id: randomUUID(), fulfillmentId: found.id, status: "CANCELLED", at: new Date(), note } });
  return true;
}
