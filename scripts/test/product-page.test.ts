import { readFileSync } from "node:fs";
import { SUBGRAPH_NAMES } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

const PRODUCT_PAGE = readFileSync(new URL("../../schema/operations/product-page.graphql", import.meta.url), "utf8");
const GINZA = { lat: 35.6717, lng: 139.765 };

let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
});
afterAll(async () => t?.stop());

describe("the storefront product page, one request through the gateway", () => {
  it("returns data from all five subgraphs", async () => {
    const before = await Promise.all(SUBGRAPH_NAMES.map((s) => t.metric("o2o_subgraph_fetches_total", { subgraph: s })));
    const res = await t.query(PRODUCT_PAGE, { sku: "HAN-001", near: GINZA, pickupDate: tomorrowInTokyo() }, t.as("aiko"));
    const after = await Promise.all(SUBGRAPH_NAMES.map((s) => t.metric("o2o_subgraph_fetches_total", { subgraph: s })));
    expect(res.errors).toBeUndefined();
    const { product, me } = res.data!;

    // products
    expect(product).toMatchObject({ sku: "HAN-001", name: "Sakura Lip Tint", brand: { name: "Hanami Cosmetics" }, price: { amount: 2200, currency: "JPY" } });
    // stores: five nearest stores with stock, nearest first
    expect(product.availability).toHaveLength(5);
    const distances = product.availability.map((a: any) => a.distanceKm);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(product.availability.every((a: any) => a.quantity > 0)).toBe(true);
    // logistics: stores that take pickups show tomorrow's slots with capacity left
    const pickupStores = product.availability.filter((a: any) => a.store.capabilities.includes("PICKUP"));
    expect(pickupStores.length).toBeGreaterThan(0);
    for (const a of pickupStores) {
      expect(a.store.pickupSlots.length).toBeGreaterThan(0);
      expect(a.store.pickupSlots[0].capacityLeft).toBeGreaterThanOrEqual(0);
    }
    // members + payments
    expect(me).toMatchObject({ displayName: "Aiko Tanaka", tier: "GOLD" });
    expect(me.pointsBalance).toBeGreaterThan(0);
    expect(me.orders.edges).toHaveLength(3);

    // every subgraph was fetched, and at most a handful of times for the whole page
    const fetches = after.map((n, i) => n - before[i]!);
    expect(fetches.every((n) => n >= 1 && n <= 2)).toBe(true);
  });

  it("answers anonymous visitors too: no member, everything else", async () => {
    const res = await t.query(PRODUCT_PAGE, { sku: "HAN-001", near: GINZA, pickupDate: tomorrowInTokyo() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toBeNull();
    expect(res.data!.product.availability).toHaveLength(5);
  });

  it("returns null, not an error, for an unknown SKU", async () => {
    const res = await t.query(PRODUCT_PAGE, { sku: "NO-SUCH-SKU", near: GINZA, pickupDate: tomorrowInTokyo() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.product).toBeNull();
  });
});
