import { badUserInput, parseId, seedId } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";
import type { EntityRef, SlotParent } from "./parents.ts";

/** Pickup slots, computed from the weekly plans and the bookings into them. Resolvers stay thin; the SQL lives here. */

/** The time zone "today" is taken in for the 30-day horizon (every demo store is in Tokyo). */
export const HORIZON_TIME_ZONE = "Asia/Tokyo";
/** How far ahead slots can be asked for, in days. */
export const MAX_DAYS_AHEAD = 30;

/** A calendar day in `timeZone` at `instant`, as `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string = HORIZON_TIME_ZONE): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/** The id of the slot of `storeId` starting at `startsAt`: the same for every reader, no slot table needed. */
export const slotId = (slot: Pick<SlotParent, "storeId" | "startsAt">) => seedId("slot", `${slot.storeId}@${slot.startsAt.toISOString()}`);

export interface SlotDayKey {
  storeId: string;
  /** Local calendar day, `YYYY-MM-DD`. */
  date: string;
}

/** `Store.pickupSlots(date)`: arguments checked before any SQL, then batched with every other store of the request. */
export function pickupSlots(ctx: LogisticsContext, store: EntityRef, date: string, now: Date = new Date()): Promise<SlotParent[]> {
  const storeId = parseId(store.id, "Store.id");
  if (dayNumber(date) - dayNumber(localDate(now)) > MAX_DAYS_AHEAD) {
    throw badUserInput(`date must be at most ${MAX_DAYS_AHEAD} days ahead, got ${date}`, { argument: "date" });
  }
  return ctx.loaders.slotsByStoreDay.load({ storeId, date });
}

type SlotRow = SlotParent & { keyIndex: number };

/**
 * What a store's counter windows are booked by: pickups (`fulfillment`) or service drop-offs (`service_order`); each
 * counts against the window's capacity separately.
 */
export type SlotBookings = "fulfillment" | "service_order";

/**
 * The slots of several (store, day) pairs in ONE statement: the keys travel as a JSON recordset, are joined with
 * the plans valid on that day's ISO weekday, and each slot with the count of non-cancelled fulfilments booked into
 * it. Local times become UTC instants in SQL (`(day + start_time) AT TIME ZONE time_zone`); slots that already
 * started (so every slot of a past day) are left out. Service drop-off slots (`bookings` "service_order") are the same
 * windows, counted by service orders, at stores that offer services.
 */
export async function slotsForDays(prisma: PrismaClient, keys: readonly SlotDayKey[], bookings: SlotBookings = "fulfillment"): Promise<SlotParent[][]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, day: k.date })));
  // Drop-off slots exist only where the store offers a service at all.
  const servicesOnly = bookings === "service_order" ? Prisma.sql`WHERE EXISTS (SELECT 1 FROM "logistics"."service_rate" r WHERE r."store_id" = k."store_id")` : Prisma.empty;
  const rows = await prisma.$queryRaw<SlotRow[]>`
    WITH s AS (
      SELECT k."key_index", p."store_id", p."capacity",
             ((k."day" + p."start_time") AT TIME ZONE p."time_zone") AS "starts_at",
             ((k."day" + p."end_time") AT TIME ZONE p."time_zone") AS "ends_at"
      FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "day" date)
      JOIN "logistics"."pickup_slot_plan" p
        ON p."store_id" = k."store_id"
       AND p."weekday" = EXTRACT(ISODOW FROM k."day")
       AND (p."valid_from" IS NULL OR k."day" >= p."valid_from")
       AND (p."valid_until" IS NULL OR k."day" <= p."valid_until")
      ${servicesOnly}
    )
    SELECT s."key_index" AS "keyIndex", s."store_id"::text AS "storeId", s."starts_at" AS "startsAt", s."ends_at" AS "endsAt",
           s."capacity", COALESCE(b."booked", 0)::int AS "booked"
    FROM s
    LEFT JOIN (
      SELECT f."store_id", f."slot_starts_at", count(*)::int AS "booked"
      FROM "logistics".${Prisma.raw(`"${bookings}"`)} f
      WHERE f."status" <> 'CANCELLED'
        AND f."store_id" IN (SELECT DISTINCT "store_id" FROM s)
        AND f."slot_starts_at" IN (SELECT "starts_at" FROM s)
      GROUP BY f."store_id", f."slot_starts_at"
    ) b ON b."store_id" = s."store_id" AND b."slot_starts_at" = s."starts_at"
    WHERE s."starts_at" > now()
    ORDER BY s."key_index", s."starts_at"`;
  const days: SlotParent[][] = keys.map(() => []);
  for (const { keyIndex, ...slot } of rows) days[keyIndex]?.push(slot);
  return days;
}

export interface BookedSlotKey {
  storeId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The slots fulfilments were booked into (past ones too), in ONE statement: capacity from the plan that produces
 * that start on that local day, bookings counted like above. A slot whose plan is gone keeps its booking times and
 * reports its bookings as its capacity (nothing left).
 */
export async function bookedSlots(prisma: PrismaClient, keys: readonly BookedSlotKey[], bookings: SlotBookings = "fulfillment"): Promise<SlotParent[]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, starts_at: k.startsAt.toISOString() })));
  const rows = await prisma.$queryRaw<{ keyIndex: number; capacity: number | null; booked: number }[]>`
    SELECT k."key_index" AS "keyIndex", p."capacity",
           (SELECT count(*)::int FROM "logistics".${Prisma.raw(`"${bookings}"`)} f
             WHERE f."store_id" = k."store_id" AND f."slot_starts_at" = k."starts_at" AND f."status" <> 'CANCELLED') AS "booked"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "starts_at" timestamptz)
    LEFT JOIN LATERAL (
      SELECT pl."capacity" FROM "logistics"."pickup_slot_plan" pl
      WHERE pl."store_id" = k."store_id"
        AND pl."weekday" = EXTRACT(ISODOW FROM (k."starts_at" AT TIME ZONE pl."time_zone"))
        AND pl."start_time" = (k."starts_at" AT TIME ZONE pl."time_zone")::time
        AND (pl."valid_from" IS NULL OR (k."starts_at" AT TIME ZONE pl."time_zone")::date >= pl."valid_from")
        AND (pl."valid_until" IS NULL OR (k."starts_at" AT TIME ZONE pl."time_zone")::date <= pl."valid_until")
      LIMIT 1
    ) p ON true
    ORDER BY k."key_index"`;
  const byIndex = new Map(rows.map((r) => [r.keyIndex, r]));
  return keys.map((k, i) => {
    const row = byIndex.get(i);
    const booked = row?.booked ?? 0;
    return { storeId: k.storeId, startsAt: k.startsAt, endsAt: k.endsAt, capacity: row?.capacity ?? booked, booked };
  });
}

/** A slot found behind an id, with how many local days ahead of today it lies (negative: a past day). */
export interface FoundSlot {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  daysAhead: number;
}

/** How far back and ahead an id is looked for: far enough to tell "past" and "too far" from "not a slot". */
const LOOKUP_DAYS_BACK = 7;
const LOOKUP_DAYS_AHEAD = 2 * MAX_DAYS_AHEAD;

/**
 * The slot of `storeId` behind `id`, or null. Ids are hashes of store and start (`slotId`), so there is nothing
 * to look up: the store's slots are generated day by day (from a week back to twice the horizon, one statement)
 * and hashed until one matches. Past and too-far slots are found too, so callers can say which it is.
 */
export async function findSlot(db: Pick<PrismaClient, "$queryRaw">, storeId: string, id: string, now: Date = new Date()): Promise<FoundSlot | null> {
  const today = localDate(now);
  const rows = await db.$queryRaw<{ startsAt: Date; endsAt: Date; capacity: number }[]>`
    SELECT ((g."day"::date + p."start_time") AT TIME ZONE p."time_zone") AS "startsAt",
           ((g."day"::date + p."end_time") AT TIME ZONE p."time_zone") AS "endsAt",
           p."capacity"
    FROM "logistics"."pickup_slot_plan" p
    CROSS JOIN generate_series((${today}::date - ${LOOKUP_DAYS_BACK}::int)::timestamp, (${today}::date + ${LOOKUP_DAYS_AHEAD}::int)::timestamp, interval '1 day') AS g("day")
    WHERE p."store_id" = ${storeId}::uuid
      AND p."weekday" = EXTRACT(ISODOW FROM g."day")
      AND (p."valid_from" IS NULL OR g."day"::date >= p."valid_from")
      AND (p."valid_until" IS NULL OR g."day"::date <= p."valid_until")`;
  const wanted = id.toLowerCase();
  const slot = rows.find((r) => slotId({ storeId, startsAt: r.startsAt }) === wanted);
  return slot ? { ...slot, daysAhead: dayNumber(localDate(slot.startsAt)) - dayNumber(today) } : null;
}
