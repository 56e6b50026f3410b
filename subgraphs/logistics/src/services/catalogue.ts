import { badUserInput, parseId } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { EntityRef } from "../parents.ts";
import { localDate, MAX_DAYS_AHEAD, type SlotDayKey } from "../slots.ts";
import type { ServiceRateParent, ServiceSlotParent } from "./parents.ts";

/**
 * The service catalogue as stores offer it: rates per store (a store without rates offers no services) and the
 * drop-off slots service bookings go into. Drop-off slots are the store's counter windows (the weekly slot plans of
 * src/slots.ts, same ids as the pickup slot of that window) with their own count: service orders, not fulfilments.
 */

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/** `Store.services`: batched per request (serviceRatesByStore), by service code. */
export function storeServices(ctx: LogisticsContext, store: EntityRef): Promise<ServiceRateParent[]> {
  return ctx.loaders.serviceRatesByStore.load(parseId(store.id, "Store.id"));
}

/** `Store.serviceSlots(date)`: arguments checked before any SQL, then batched like pickup slots. */
export function serviceSlots(ctx: LogisticsContext, store: EntityRef, date: string, now: Date = new Date()): Promise<ServiceSlotParent[]> {
  const storeId = parseId(store.id, "Store.id");
  if (dayNumber(date) - dayNumber(localDate(now)) > MAX_DAYS_AHEAD) {
    throw badUserInput(`date must be at most ${MAX_DAYS_AHEAD} days ahead, got ${date}`, { argument: "date" });
  }
  return ctx.loaders.serviceSlotsByStoreDay.load({ storeId, date });
}

/** The rates of several stores in one statement, each store's by service code. */
export async function ratesOfStores(prisma: PrismaClient, storeIds: readonly string[]): Promise<ServiceRateParent[][]> {
  const rows = await prisma.serviceRate.findMany({ where: { storeId: { in: [...storeIds] } }, include: { offering: true } });
  rows.sort((a, b) => a.offering.code.localeCompare(b.offering.code));
  return storeIds.map((id) => rows.filter((r) => r.storeId === id));
}

type SlotRow = ServiceSlotParent & { keyIndex: number };

/**
 * The drop-off slots of several (store, day) pairs in ONE statement: the plans valid that day of stores that have
 * at least one service rate, each slot with the non-cancelled service orders booked into it; started slots left out.
 */
export async function serviceSlotsForDays(prisma: PrismaClient, keys: readonly SlotDayKey[]): Promise<ServiceSlotParent[][]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, day: k.date })));
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
      WHERE EXISTS (SELECT 1 FROM "logistics"."service_rate" r WHERE r."store_id" = k."store_id")
    )
    SELECT s."key_index" AS "keyIndex", s."store_id"::text AS "storeId", s."starts_at" AS "startsAt", s."ends_at" AS "endsAt",
           s."capacity", COALESCE(b."booked", 0)::int AS "booked"
    FROM s
    LEFT JOIN (
      SELECT o."store_id", o."slot_starts_at", count(*)::int AS "booked"
      FROM "logistics"."service_order" o
      WHERE o."status" <> 'CANCELLED'
        AND o."store_id" IN (SELECT DISTINCT "store_id" FROM s)
        AND o."slot_starts_at" IN (SELECT "starts_at" FROM s)
      GROUP BY o."store_id", o."slot_starts_at"
    ) b ON b."store_id" = s."store_id" AND b."slot_starts_at" = s."starts_at"
    WHERE s."starts_at" > now()
    ORDER BY s."key_index", s."starts_at"`;
  const days: ServiceSlotParent[][] = keys.map(() => []);
  for (const { keyIndex, ...slot } of rows) days[keyIndex]?.push(slot);
  return days;
}

/** The slots service orders were booked into, with their plan's capacity (or the bookings, if the plan is gone). */
export async function bookedServiceSlots(prisma: PrismaClient, keys: readonly { storeId: string; startsAt: Date; endsAt: Date }[]): Promise<ServiceSlotParent[]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, starts_at: k.startsAt.toISOString() })));
  const rows = await prisma.$queryRaw<{ keyIndex: number; capacity: number | null; booked: number }[]>`
    SELECT k."key_index" AS "keyIndex", p."capacity",
           (SELECT count(*)::int FROM "logistics"."service_order" o
             WHERE o."store_id" = k."store_id" AND o."slot_starts_at" = k."starts_at" AND o."status" <> 'CANCELLED') AS "booked"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "starts_at" timestamptz)
    LEFT JOIN LATERAL (
      SELECT pl."capacity" FROM "logistics"."pickup_slot_plan" pl
      WHERE pl."store_id" = k."store_id"
        AND pl."weekday" = EXTRACT(ISODOW FROM (k."starts_at" AT TIME ZONE pl."time_zone"))
        AND pl."start_time" = (k."starts_at" AT TIME ZONE pl."time_zone")::time
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
