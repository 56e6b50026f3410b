import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, DEMO_STORES, type DemoStore } from "@o2o/runtime";
import { canHold, demoQuantity, sellsFromShelf } from "../src/seed.ts";
import { AVAILABILITY, COSMETICS, GINZA, byDistance, productRefs, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

const TODAY = "2026-11-23"; // the harness clock, in Asia/Tokyo
const sellsOn = (s: DemoStore, day: string) => sellsFromShelf(s) && (s.format !== "POP_UP" || (s.opens! <= day && day <= s.closes!));

/** What availability must answer, from the seed's own rules and an independent JS haversine. */
function expected(sku: string, near: { lat: number; lng: number }, radiusKm: number, first: number) {
  const product = DEMO_PRODUCTS.find((p) => p.sku === sku)!;
  const selling = DEMO_STORES.filter((s) => sellsOn(s, TODAY) && canHold(s, product) && demoQuantity(sku, s.key) > 0);
  return byDistance(near, selling)
    .filter((s) => s.distanceKm <= radiusKm)
    .slice(0, first)
    .map((s) => ({ id: s.id, quantity: demoQuantity(sku, s.key), distanceKm: s.distanceKm }));
}

interface Found {
  id: string;
  quantity: number;
  distanceKm: number;
}

async function ask(skus: string[], near: { lat: number; lng: number }, radiusKm?: number, first?: number): Promise<Found[][]> {
  const res = await h.q(AVAILABILITY, { r: productRefs(skus), near, radiusKm, first });
  expect(res.errors).toBeUndefined();
  return (res.data!._entities as any[]).map((p) => p.availability.map((a: any) => ({ id: a.store.id, quantity: a.quantity, distanceKm: a.distanceKm })));
}

function expectSame(actual: Found[], wanted: ReturnType<typeof expected>) {
  expect(actual.map((a) => a.id)).toEqual(wanted.map((w) => w.id));
  expect(actual.map((a) => a.quantity)).toEqual(wanted.map((w) => w.quantity));
  actual.forEach((a, i) => expect(a.distanceKm).toBeCloseTo(wanted[i]!.distanceKm, 6));
}

describe("Product.availability", () => {
  it("has at least 5 stores with stock within 25 km of Ginza for every cosmetics SKU", async () => {
    const lists = await ask(COSMETICS.map((p) => p.sku), GINZA);
    for (const list of lists) expect(list).toHaveLength(5);
  });

  it("orders nearest first (ties by store id) with haversine distances, matching a JS computation of the seed", async () => {
    const skus = ["HAN-001", "KUM-003", "SOR-002", "HOK-001", "MOC-002", "OCE-004", "NIP-005", "ATE-001"];
    for (const [near, radiusKm, first] of [
      [GINZA, 25, 5],
      [GINZA, 500, 50],
      [{ lat: 35.6909, lng: 139.7033 }, 8, 10],
      [{ lat: 35.4658, lng: 139.6223 }, 30, 3],
    ] as const) {
      const lists = await ask(skus, near, radiusKm, first);
      skus.forEach((sku, i) => expectSame(lists[i]!, expected(sku, near, radiusKm, first)));
    }
  });

  it("applies the default radius of 25 km and the default of 5 stores", async () => {
    const [list] = await ask(["NIP-001"], { lat: 35.4658, lng: 139.6223 });
    expectSame(list!, expected("NIP-001", { lat: 35.4658, lng: 139.6223 }, 25, 5));
    expect(list!.every((a) => a.distanceKm <= 25)).toBe(true);
  });

  it("leaves out stores without stock, and chilled or frozen goods where the store cannot keep them", async () => {
    const frozen = DEMO_PRODUCTS.filter((p) => p.temperature === "FROZEN").map((p) => p.sku);
    const lists = await ask(frozen, GINZA, 500, 50);
    const freezers = new Set(DEMO_STORES.filter((s) => s.capabilities.includes("FROZEN_STORAGE")).map((s) => storeId(s.key)));
    for (const list of lists) {
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((a) => freezers.has(a.id) && a.quantity > 0)).toBe(true);
    }
    // The seed has out-of-stock rows; none of them shows up.
    const zeros = DEMO_STORES.flatMap((s) => DEMO_PRODUCTS.filter((p) => sellsOn(s, TODAY) && canHold(s, p) && demoQuantity(p.sku, s.key) === 0).map((p) => [p.sku, storeId(s.key)] as const));
    expect(zeros.length).toBeGreaterThan(0);
    const [sku, zeroStore] = zeros[0]!;
    const [list] = await ask([sku], GINZA, 500, 50);
    expect(list!.map((a) => a.id)).not.toContain(zeroStore);
  });

  it("returns an empty list when nothing is within the radius", async () => {
    const [list] = await ask(["HAN-001"], { lat: 43.0618, lng: 141.3545 }, 50); // Sapporo
    expect(list).toEqual([]);
  });

  it("reports inventory of one store: the row, or null for a store without one", async () => {
    const res = await h.q(
      `query($r: [_Any!]!, $a: ID!, $b: ID!, $c: ID!) { _entities(representations: $r) { ... on Product {
        a: inventory(storeId: $a) { store { name } quantity } b: inventory(storeId: $b) { quantity } c: inventory(storeId: $c) { quantity }
      } } }`,
      { r: productRefs(["HOK-001"]), a: storeId("meridian-nihonbashi"), b: storeId("hoshi-ginza"), c: "00000000-0000-4000-8000-000000000000" },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ a: { store: { name: "Meridian Nihonbashi" }, quantity: demoQuantity("HOK-001", "meridian-nihonbashi") }, b: null, c: null });
  });
});
