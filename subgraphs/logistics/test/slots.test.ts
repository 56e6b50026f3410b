import { DEMO_STORES, seedId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULFILLMENTS, SLOTS, UNKNOWN_ID, order, orderReps, prismaFor, seededBookings, startLogistics, store, storeReps, tokyoDate, tokyoInstant, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startLogistics()));
afterAll(async () => h?.stop());

async function slots(storeKey: string, date: string): Promise<any[] | null> {
  const res = await h.q(SLOTS, { r: storeReps([store(storeKey)]), date });
  expect(res.errors).toBeUndefined();
  return (res.data!._entities as any[])[0].pickupSlots;
}

const hours = (from: number, until: number, every: number) => {
  const out: number[] = [];
  for (let hour = from; hour + every <= until; hour += every) out.push(hour);
  return out;
};

describe("Store.pickupSlots", () => {
  it.each([
    ["meridian-nihonbashi", hours(11, 20, 1), 1, 12],
    ["hoshi-ginza", hours(11, 20, 1), 1, 8],
    ["freshway-shinagawa", hours(10, 21, 1), 1, 10],
    ["corner24-hamamatsucho", [8, 11, 14, 17, 20], 3, 4],
    ["corner24-tsukiji-locker", [8, 11, 14, 17, 20], 3, 12],
    ["carehub-marunouchi", hours(12, 19, 1), 1, 4],
    ["lumen-popup-harajuku", hours(11, 19, 1), 1, 6],
  ])("lists tomorrow's (Asia/Tokyo) slots at %s in order, as UTC instants", async (key, starts, length, capacity) => {
    const day = tokyoDate(1);
    const list = await slots(key, day);
    // Pop-ups have slots only between their opening and closing days.
    const demo = DEMO_STORES.find((s) => s.key === key)!;
    const open = (!demo.opens || day >= demo.opens) && (!demo.closes || day <= demo.closes);
    expect(list).toEqual(
      (open ? starts : []).map((hour) => ({
        id: seedId("slot", `${store(key)}@${tokyoInstant(day, hour)}`),
        startsAt: tokyoInstant(day, hour),
        endsAt: tokyoInstant(day, hour + length),
        capacity,
        capacityLeft: capacity - seededBookings(store(key), tokyoInstant(day, hour)),
      })),
    );
  });

  it("turns Tokyo wall-clock times into UTC instants across the date line (08:00 local is 23:00 UTC the day before)", async () => {
    const day = tokyoDate(1);
    const [first] = (await slots("corner24-tsukiji-locker", day))!;
    // 08:00 in Tokyo (UTC+9, no daylight saving) is 23:00 UTC on the previous calendar day.
    const previous = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(first).toMatchObject({ startsAt: `${previous}T23:00:00.000Z`, endsAt: `${day}T02:00:00.000Z` });
  });

  it("is empty for a store without a plan (a showroom, an unknown store)", async () => {
    expect(await slots("lumen-omotesando", tokyoDate(1))).toEqual([]);
    const res = await h.q(SLOTS, { r: storeReps([UNKNOWN_ID]), date: tokyoDate(1) });
    expect((res.data!._entities as any[])[0].pickupSlots).toEqual([]);
  });

  it("is empty for a pop-up outside its open dates", async () => {
    // A pop-up plan open from 10 to 12 days ahead (its own copy of the store's dates, inclusive).
    const popup = seedId("store", "test-popup");
    const prisma = prismaFor(h);
    try {
      await prisma.pickupSlotPlan.createMany({
        data: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          id: seedId("test-plan", `popup:${weekday}`),
          storeId: popup,
          weekday,
          startTime: new Date("1970-01-01T10:00:00.000Z"),
          endTime: new Date("1970-01-01T11:00:00.000Z"),
          capacity: 3,
          timeZone: "Asia/Tokyo",
          validFrom: new Date(`${tokyoDate(10)}T00:00:00.000Z`),
          validUntil: new Date(`${tokyoDate(12)}T00:00:00.000Z`),
        })),
      });
    } finally {
      await prisma.$disconnect();
    }
    const res = await h.q(
      `query($r: [_Any!]!, $before: Date!, $first: Date!, $last: Date!, $after: Date!) { _entities(representations: $r) { ... on Store {
        before: pickupSlots(date: $before) { startsAt } first: pickupSlots(date: $first) { startsAt capacity }
        last: pickupSlots(date: $last) { startsAt } after: pickupSlots(date: $after) { startsAt } } } }`,
      { r: storeReps([popup]), before: tokyoDate(9), first: tokyoDate(10), last: tokyoDate(12), after: tokyoDate(13) },
    );
    expect(res.errors).toBeUndefined();
    expect((res.data!._entities as any[])[0]).toEqual({
      before: [],
      first: [{ startsAt: tokyoInstant(tokyoDate(10), 10), capacity: 3 }],
      last: [{ startsAt: tokyoInstant(tokyoDate(12), 10) }],
      after: [],
    });

    // The demo's summer pop-up (2027-07-01 to 2027-08-31): nothing on any day of the horizon outside those dates.
    const odaiba = DEMO_STORES.find((s) => s.key === "hoshi-popup-odaiba")!;
    for (const day of [tokyoDate(1), tokyoDate(30)].filter((d) => d < odaiba.opens! || d > odaiba.closes!)) {
      expect(await slots("hoshi-popup-odaiba", day)).toEqual([]);
    }
  });

  it("is empty for a past date, and leaves out today's slots that already started", async () => {
    expect(await slots("freshway-shinagawa", tokyoDate(-1))).toEqual([]);
    expect(await slots("freshway-shinagawa", "2026-01-05")).toEqual([]);
    const today = await slots("corner24-kanda", tokyoDate(0));
    const now = Date.now();
    for (const s of today!) expect(Date.parse(s.startsAt)).toBeGreaterThan(now);
    const all = [8, 11, 14, 17, 20].map((hour) => tokyoInstant(tokyoDate(0), hour));
    expect(today!.map((s) => s.startsAt)).toEqual(all.filter((at) => Date.parse(at) > now));
  });

  it("accepts a date exactly 30 days ahead", async () => {
    expect(await slots("meridian-nihonbashi", tokyoDate(30))).toHaveLength(9);
  });

  it("counts the seeded open bookings (awaiting payment or paid) against their slots", async () => {
    const res = await h.q(FULFILLMENTS, { r: orderReps(["sofia-4", "wei-3", "aiko-14"].map(order)) });
    expect(res.errors).toBeUndefined();
    const booked = (res.data!._entities as any[]).map((e) => e.fulfillment);
    expect(booked.map((f) => [f.status, f.store.id, f.slot.startsAt, f.slot.capacity, f.slot.capacityLeft])).toEqual([
      ["AWAITING_PAYMENT", store("hoshi-shibuya"), "2026-11-24T09:00:00.000Z", 8, 7],
      ["PENDING", store("hoshi-ginza"), "2026-11-25T07:00:00.000Z", 8, 7],
      ["PENDING", store("meridian-nihonbashi"), "2026-11-28T03:00:00.000Z", 12, 11],
    ]);
    // While those (fixed) days are still ahead and within the horizon, the store's list shows the same slot.
    for (const f of booked) {
      const day = new Date(Date.parse(f.slot.startsAt) + 9 * 3_600_000).toISOString().slice(0, 10);
      if (Date.parse(f.slot.startsAt) <= Date.now() || day > tokyoDate(30)) continue;
      const key = DEMO_STORES.find((s) => store(s.key) === f.store.id)!.key;
      expect((await slots(key, day))!.find((s) => s.startsAt === f.slot.startsAt)).toEqual(f.slot);
    }
  });

  it("counts non-cancelled bookings against capacity", async () => {
    const day = tokyoDate(20);
    const shinagawa = store("freshway-shinagawa");
    const startsAt = new Date(tokyoInstant(day, 11));
    const endsAt = new Date(tokyoInstant(day, 12));
    const prisma = prismaFor(h);
    try {
      const book = (n: number, status: "PENDING" | "READY_FOR_PICKUP" | "CANCELLED") =>
        prisma.fulfillment.create({
          data: {
            id: seedId("test-fulfillment", `${day}:${n}`),
            orderId: seedId("test-order", `${day}:${n}`),
            type: "STORE_PICKUP",
            status,
            storeId: shinagawa,
            slotStartsAt: startsAt,
            slotEndsAt: endsAt,
            pickupCode: "123456",
          },
        });
      const before = await slots("freshway-shinagawa", day);
      expect(before!.find((s) => s.startsAt === startsAt.toISOString())!.capacityLeft).toBe(10);

      await book(1, "PENDING");
      await book(2, "READY_FOR_PICKUP");
      await book(3, "CANCELLED");
      const after = await slots("freshway-shinagawa", day);
      expect(after!.map((s) => s.capacityLeft)).toEqual(before!.map((s) => (s.startsAt === startsAt.toISOString() ? 8 : s.capacityLeft)));

      // The same slot on another store is untouched; capacityLeft never goes below 0.
      expect((await slots("freshway-nakameguro", day))!.every((s) => s.capacityLeft === 10)).toBe(true);
      for (let n = 4; n <= 14; n++) await book(n, "PENDING");
      const full = await slots("freshway-shinagawa", day);
      expect(full!.find((s) => s.startsAt === startsAt.toISOString())).toMatchObject({ capacity: 10, capacityLeft: 0 });
    } finally {
      await prisma.$disconnect();
    }
  });
});
