import { seedId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SLOTS, UNKNOWN_ID, prismaFor, startLogistics, store, storeReps, tokyoDate, tokyoInstant, type Harness } from "./support.ts";

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
    expect(list).toEqual(
      starts.map((hour) => ({
        id: seedId("slot", `${store(key)}@${tokyoInstant(day, hour)}`),
        startsAt: tokyoInstant(day, hour),
        endsAt: tokyoInstant(day, hour + length),
        capacity,
        capacityLeft: capacity,
      })),
    );
  });

  it("is empty for a store without a plan (a showroom, an unknown store)", async () => {
    expect(await slots("lumen-omotesando", tokyoDate(1))).toEqual([]);
    const res = await h.q(SLOTS, { r: storeReps([UNKNOWN_ID]), date: tokyoDate(1) });
    expect((res.data!._entities as any[])[0].pickupSlots).toEqual([]);
  });

  it("is empty for a pop-up outside its open dates", async () => {
    // Hoshi's summer pop-up opens on 2027-07-01, more than 30 days from the demo's dates.
    expect(await slots("hoshi-popup-odaiba", tokyoDate(1))).toEqual([]);
    expect(await slots("hoshi-popup-odaiba", tokyoDate(30))).toEqual([]);
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
