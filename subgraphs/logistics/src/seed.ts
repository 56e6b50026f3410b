import { DEMO_STORES, demoMemberId, demoStoreId, seedId, type StoreFormat } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { FulfillmentStatus, FulfillmentType } from "./generated/prisma/enums.ts";
import { seedServices } from "./services/seed.ts";

/** Every demo store is in Tokyo. */
export const DEMO_TIME_ZONE = "Asia/Tokyo";

/** Pickup hours by store format: the first slot starts at `from`, slots of `every` hours until `until`. */
export const SLOT_RULES: Partial<Record<StoreFormat, { from: number; until: number; every: number; capacity: number }>> = {
  FLAGSHIP: { from: 11, until: 20, every: 1, capacity: 8 },
  DEPARTMENT_STORE: { from: 11, until: 20, every: 1, capacity: 12 },
  SUPERMARKET: { from: 10, until: 21, every: 1, capacity: 10 },
  CONVENIENCE: { from: 8, until: 23, every: 3, capacity: 4 },
  PICKUP_POINT: { from: 8, until: 23, every: 3, capacity: 12 },
  SERVICE_CENTRE: { from: 12, until: 19, every: 1, capacity: 4 },
  POP_UP: { from: 11, until: 19, every: 1, capacity: 6 },
};

const hh = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
/** A `time` column value: Prisma carries it as a Date on 1970-01-01 UTC. */
const timeOfDay = (hour: number) => new Date(`1970-01-01T${hh(hour)}:00.000Z`);
const dateOnly = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** The weekly plans: one row per store, ISO weekday and slot start. */
export function slotPlans() {
  return DEMO_STORES.filter((s) => s.capabilities.includes("PICKUP")).flatMap((store) => {
    const rule = SLOT_RULES[store.format];
    if (!rule) return [];
    const starts: number[] = [];
    for (let h = rule.from; h + rule.every <= rule.until; h += rule.every) starts.push(h);
    return [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) =>
      starts.map((start) => ({
        id: seedId("pickup-slot-plan", `${store.key}:${weekday}:${hh(start)}`),
        storeId: demoStoreId(store.key),
        weekday,
        startTime: timeOfDay(start),
        endTime: timeOfDay(start + rule.every),
        capacity: rule.capacity,
        timeZone: DEMO_TIME_ZONE,
        validFrom: store.opens ? dateOnly(store.opens) : null,
        validUntil: store.closes ? dateOnly(store.closes) : null,
      })),
    );
  });
}

type Event = [status: FulfillmentStatus, at: string, note?: string];
interface SeedFulfillment {
  /** The payments order key (seedId("order", key)). */
  order: string;
  type: FulfillmentType;
  store: string;
  /** Local day and start/end hours of the booked slot (Tokyo). */
  slot?: [day: string, start: number, end: number];
  passport?: boolean;
  address?: Record<string, string>;
  /** Oldest first; the last one is the current status. Times are Tokyo local, fixed in 2026. */
  events: Event[];
}

const AIKO_HOME = { recipient: "Aiko Tanaka", postalCode: "108-0075", prefecture: "Tokyo", city: "Minato-ku", line1: "2-5-8 Konan", line2: "Apt 1203" };
const SOFIA_HOME = { recipient: "Sofia Rossi", postalCode: "106-0032", prefecture: "Tokyo", city: "Minato-ku", line1: "6-12-4 Roppongi", line2: "Residence 18F" };

const picked = (placed: string, ready: string, collected: string, note?: string): Event[] => [
  ["PENDING", placed],
  ["READY_FOR_PICKUP", ready],
  ["PICKED_UP", collected, note],
];
const delivered = (placed: string, out: string, done: string, note?: string): Event[] => [
  ["PENDING", placed],
  ["OUT_FOR_DELIVERY", out],
  ["DELIVERED", done, note],
];

/** The fulfilments of the payments subgraph's demo orders (same keys). */
export const SEED_FULFILLMENTS: SeedFulfillment[] = [
  { order: "aiko-1", type: "STORE_PICKUP", store: "meridian-nihonbashi", slot: ["2026-01-18", 17, 18], events: picked("2026-01-18T14:30:00+09:00", "2026-01-18T16:10:00+09:00", "2026-01-18T17:20:00+09:00") },
  { order: "aiko-2", type: "HOME_DELIVERY", store: "freshway-shinagawa", address: AIKO_HOME, events: delivered("2026-01-25T18:10:00+09:00", "2026-01-26T10:00:00+09:00", "2026-01-26T11:35:00+09:00", "Handed to the customer") },
  { order: "aiko-3", type: "STORE_PICKUP", store: "meridian-shinjuku", slot: ["2026-02-14", 18, 19], events: picked("2026-02-14T16:20:30+09:00", "2026-02-14T17:05:00+09:00", "2026-02-14T18:15:00+09:00") },
  { order: "aiko-4", type: "STORE_PICKUP", store: "freshway-nakameguro", slot: ["2026-03-03", 20, 21], events: picked("2026-03-03T19:05:00+09:00", "2026-03-03T19:40:00+09:00", "2026-03-03T20:10:00+09:00", "Kept chilled until pickup") },
  { order: "aiko-5", type: "STORE_PICKUP", store: "hoshi-ginza", slot: ["2026-03-20", 15, 16], events: picked("2026-03-20T13:40:00+09:00", "2026-03-20T14:20:00+09:00", "2026-03-20T15:25:00+09:00") },
  { order: "aiko-6", type: "CONVENIENCE_PICKUP", store: "corner24-kanda", slot: ["2026-04-19", 11, 14], events: picked("2026-04-19T08:15:00+09:00", "2026-04-19T10:30:00+09:00", "2026-04-19T12:05:00+09:00") },
  { order: "aiko-7", type: "HOME_DELIVERY", store: "meridian-nihonbashi", address: AIKO_HOME, events: delivered("2026-05-02T15:30:00+09:00", "2026-05-03T09:30:00+09:00", "2026-05-03T14:10:00+09:00") },
  { order: "aiko-8", type: "STORE_PICKUP", store: "freshway-kichijoji", slot: ["2026-05-24", 19, 20], events: picked("2026-05-24T17:50:00+09:00", "2026-05-24T18:40:00+09:00", "2026-05-24T19:30:00+09:00", "Kept frozen until pickup") },
  { order: "aiko-9", type: "STORE_PICKUP", store: "meridian-nihonbashi", slot: ["2026-06-17", 18, 19], events: picked("2026-06-15T14:25:00+09:00", "2026-06-17T11:00:00+09:00", "2026-06-17T18:20:00+09:00", "Transferred from Meridian Yokohama") },
  {
    order: "aiko-10",
    type: "STORE_PICKUP",
    store: "freshway-kichijoji",
    slot: ["2026-07-21", 18, 19],
    events: [
      ["PENDING", "2026-07-20T18:30:00+09:00"],
      ["CANCELLED", "2026-07-20T21:00:00+09:00", "Order cancelled by the customer"],
    ],
  },
  { order: "aiko-11", type: "HOME_DELIVERY", store: "meridian-shinjuku", address: AIKO_HOME, events: delivered("2026-08-08T15:10:00+09:00", "2026-08-09T10:15:00+09:00", "2026-08-09T13:40:00+09:00") },
  { order: "aiko-12", type: "HOME_DELIVERY", store: "freshway-shinagawa", address: AIKO_HOME, events: delivered("2026-08-30T10:30:30+09:00", "2026-08-30T15:00:00+09:00", "2026-08-30T16:20:00+09:00", "Chilled and frozen boxes handed over") },
  { order: "aiko-13", type: "CONVENIENCE_PICKUP", store: "corner24-hamamatsucho", slot: ["2026-09-12", 8, 11], events: picked("2026-09-12T07:55:00+09:00", "2026-09-12T08:20:00+09:00", "2026-09-12T08:45:00+09:00", "Kept chilled until pickup") },
  // Paid online; a gift held for a later pickup: booked, not yet prepared.
  {
    order: "aiko-14",
    type: "STORE_PICKUP",
    store: "meridian-nihonbashi",
    slot: ["2026-11-28", 12, 13],
    events: [["PENDING", "2026-10-03T16:45:00+09:00", "Gift wrapping requested; pickup booked for 28 Nov"]],
  },
  { order: "wei-1", type: "STORE_PICKUP", store: "hoshi-ginza", slot: ["2026-04-03", 14, 15], passport: true, events: picked("2026-04-03T11:30:00+09:00", "2026-04-03T13:00:00+09:00", "2026-04-03T14:20:00+09:00", "Passport checked, tax-free") },
  { order: "wei-2", type: "STORE_PICKUP", store: "hoshi-ginza", slot: ["2026-04-05", 11, 12], passport: true, events: picked("2026-04-04T15:00:00+09:00", "2026-04-05T10:00:00+09:00", "2026-04-05T11:10:00+09:00", "Passport checked, tax-free") },
  // Paid through the agency; Wei collects on the next visit, passport in hand.
  {
    order: "wei-3",
    type: "STORE_PICKUP",
    store: "hoshi-ginza",
    slot: ["2026-11-25", 16, 17],
    passport: true,
    events: [["PENDING", "2026-11-10T13:15:00+09:00", "Tax-free pickup booked for 25 Nov; passport check at handover"]],
  },
  { order: "minh-1", type: "STORE_PICKUP", store: "meridian-shinjuku", slot: ["2026-06-08", 13, 14], events: picked("2026-06-08T12:30:00+09:00", "2026-06-08T12:50:00+09:00", "2026-06-08T13:05:00+09:00") },
  { order: "minh-2", type: "CONVENIENCE_PICKUP", store: "corner24-roppongi", slot: ["2026-07-19", 20, 23], events: picked("2026-07-19T21:10:00+09:00", "2026-07-19T21:12:00+09:00", "2026-07-19T21:15:00+09:00") },
  { order: "sofia-1", type: "STORE_PICKUP", store: "hoshi-ginza", slot: ["2026-01-15", 16, 17], events: picked("2026-01-15T15:20:00+09:00", "2026-01-15T15:50:00+09:00", "2026-01-15T16:05:00+09:00", "Warranty card stamped") },
  { order: "sofia-2", type: "STORE_PICKUP", store: "hoshi-shinjuku", slot: ["2026-02-11", 15, 16], events: picked("2026-02-10T14:00:00+09:00", "2026-02-11T11:00:00+09:00", "2026-02-11T15:30:00+09:00") },
  { order: "sofia-3", type: "HOME_DELIVERY", store: "meridian-nihonbashi", address: SOFIA_HOME, events: delivered("2026-03-01T16:30:30+09:00", "2026-03-02T09:45:00+09:00", "2026-03-02T12:30:00+09:00") },
  // Awaiting payment (PENDING_PAYMENT in payments): the slot is held meanwhile; paying it activates the hold.
  { order: "sofia-4", type: "STORE_PICKUP", store: "hoshi-shibuya", slot: ["2026-11-24", 18, 19], events: [["AWAITING_PAYMENT", "2026-11-05T18:20:00+09:00", "Slot held until payment"]] },
];

const PICKUP_TYPES = new Set<FulfillmentType>(["STORE_PICKUP", "CONVENIENCE_PICKUP", "PICKUP_POINT"]);

/** A 6-digit pickup code derived from the order key (deterministic, no randomness in seed data). */
export function seedPickupCode(orderKey: string): string {
  const n = Number.parseInt(seedId("pickup-code", orderKey).replaceAll("-", "").slice(0, 12), 16);
  return String(n % 1_000_000).padStart(6, "0");
}

/** Tokyo local "YYYY-MM-DD" and hour → the UTC instant. */
const tokyo = (day: string, hour: number) => new Date(`${day}T${hh(hour)}:00+09:00`);

/** Demo plans and fulfilments: deterministic ids and timestamps, idempotent (a second run changes nothing). */
export async function seed(prisma: PrismaClient): Promise<void> {
  await prisma.pickupSlotPlan.createMany({ data: slotPlans(), skipDuplicates: true });
  await seedServices(prisma);
  await prisma.fulfillment.createMany({
    data: SEED_FULFILLMENTS.map((f) => ({
      id: seedId("fulfillment", f.order),
      orderId: seedId("order", f.order),
      memberId: demoMemberId(f.order.split("-")[0]!),
      type: f.type,
      status: f.events[f.events.length - 1]![0],
      storeId: demoStoreId(f.store),
      slotStartsAt: f.slot ? tokyo(f.slot[0], f.slot[1]) : null,
      slotEndsAt: f.slot ? tokyo(f.slot[0], f.slot[2]) : null,
      // A pickup gets its code when it is paid (PENDING), not while it awaits payment.
      pickupCode: PICKUP_TYPES.has(f.type) && f.events.some(([status]) => status === "PENDING") ? seedPickupCode(f.order) : null,
      taxFree: f.passport ?? false,
      requiresPassportCheck: f.passport ?? false,
      ...(f.address ? { address: f.address } : {}),
      idempotencyKey: `seed:${f.order}`,
      createdAt: new Date(f.events[0]![1]),
    })),
    skipDuplicates: true,
  });
  await prisma.trackingEvent.createMany({
    data: SEED_FULFILLMENTS.flatMap((f) =>
      f.events.map(([status, at, note], i) => ({
        id: seedId("tracking-event", `${f.order}:${i + 1}`),
        fulfillmentId: seedId("fulfillment", f.order),
        status,
        note: note ?? null,
        at: new Date(at),
      })),
    ),
    skipDuplicates: true,
  });
}
