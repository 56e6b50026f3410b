import { badUserInput, parseId } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { EntityRef } from "../parents.ts";
import { bookedSlots, localDate, MAX_DAYS_AHEAD, slotsForDays, type SlotDayKey } from "../slots.ts";
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

/** The drop-off slots of several (store, day) pairs in ONE statement: the pickup windows, counted by service orders. */
export function serviceSlotsForDays(prisma: PrismaClient, keys: readonly SlotDayKey[]): Promise<ServiceSlotParent[][]> {
  return slotsForDays(prisma, keys, "service_order");
}

/** The slots service orders were booked into, with their plan's capacity (or the bookings, if the plan is gone). */
export function bookedServiceSlots(prisma: PrismaClient, keys: readonly { storeId: string; startsAt: Date; endsAt: Date }[]): Promise<ServiceSlotParent[]> {
  return bookedSlots(prisma, keys, "service_order");
}
