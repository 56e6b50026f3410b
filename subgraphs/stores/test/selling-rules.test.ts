import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "@o2o/runtime";
import { AVAILABILITY, OMOTESANDO, productRefs, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

const SHOWROOM = storeId("lumen-omotesando");
const HARAJUKU = storeId("lumen-popup-harajuku"); // 2026-10-01 .. 2027-03-31
const ODAIBA = storeId("hoshi-popup-odaiba"); // 2027-07-01 .. 2027-08-31
const AMBIENT = DEMO_PRODUCTS.filter((p) => p.temperature === "AMBIENT").map((p) => p.sku);

/** Stock rows of `store` for every ambient product, read through Product.inventory. */
async function inventoryOf(store: string): Promise<Map<string, number>> {
  const res = await h.q(`query($r: [_Any!]!, $s: ID!) { _entities(representations: $r) { ... on Product { id inventory(storeId: $s) { quantity } } } }`, {
    r: productRefs(AMBIENT),
    s: store,
  });
  expect(res.errors).toBeUndefined();
  return new Map((res.data!._entities as any[]).filter((p) => p.inventory).map((p) => [p.id, p.inventory.quantity]));
}

async function storesSelling(skus: string[]): Promise<Set<string>> {
  const res = await h.q(AVAILABILITY, { r: productRefs(skus), near: OMOTESANDO, radiusKm: 50, first: 50 });
  expect(res.errors).toBeUndefined();
  return new Set((res.data!._entities as any[]).flatMap((p) => p.availability.map((a: any) => a.store.id)));
}

describe("who may sell", () => {
  it("never lists the showroom, although it holds display stock", async () => {
    const display = await inventoryOf(SHOWROOM);
    expect(display.size).toBeGreaterThan(0);
    expect([...display.values()].every((q) => q > 0)).toBe(true);
    const skus = DEMO_PRODUCTS.filter((p) => display.has(productRefs([p.sku])[0]!.id)).map((p) => p.sku);
    const selling = await storesSelling(skus);
    expect(selling.size).toBeGreaterThan(0);
    expect(selling.has(SHOWROOM)).toBe(false);
  });

  it("lists a pop-up only between its opening and closing dates (Asia/Tokyo)", async () => {
    const [harajuku, odaiba] = [await inventoryOf(HARAJUKU), await inventoryOf(ODAIBA)];
    const both = DEMO_PRODUCTS.filter((p) => {
      const id = productRefs([p.sku])[0]!.id;
      return (harajuku.get(id) ?? 0) > 0 && (odaiba.get(id) ?? 0) > 0;
    }).map((p) => p.sku);
    expect(both.length).toBeGreaterThan(0);

    const during = async (instant: string) => (h.setNow(instant), storesSelling(both));
    // 2026-11-23 in Tokyo: Harajuku trades, Odaiba has not opened.
    let selling = await during("2026-11-23T03:00:00.000Z");
    expect([selling.has(HARAJUKU), selling.has(ODAIBA)]).toEqual([true, false]);
    // 2027-07-15: Harajuku has closed, Odaiba trades.
    selling = await during("2027-07-15T03:00:00.000Z");
    expect([selling.has(HARAJUKU), selling.has(ODAIBA)]).toEqual([false, true]);
    // 2027-06-30T15:30Z is already 2027-07-01 in Tokyo: Odaiba's first day.
    selling = await during("2027-06-30T15:30:00.000Z");
    expect(selling.has(ODAIBA)).toBe(true);
    // 2027-08-31T15:30Z is 2027-09-01 in Tokyo: closed for good.
    selling = await during("2027-08-31T15:30:00.000Z");
    expect(selling.has(ODAIBA)).toBe(false);
    h.setNow("2026-11-23T03:00:00.000Z");
  });

  it("tells whether a store opens on a date (pop-up dates included)", async () => {
    const res = await h.q(`query($a: ID!, $b: ID!) {
      harajuku: store(id: $a) { before: isOpenOn(date: "2026-09-30") first: isOpenOn(date: "2026-10-01") last: isOpenOn(date: "2027-03-31") after: isOpenOn(date: "2027-04-01") }
      ginza: store(id: $b) { sunday: isOpenOn(date: "2026-11-22") monday: isOpenOn(date: "2026-11-23") }
    }`, { a: HARAJUKU, b: storeId("hoshi-ginza") });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ harajuku: { before: false, first: true, last: true, after: false }, ginza: { sunday: true, monday: true } });
  });
});
