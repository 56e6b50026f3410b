import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, DEMO_RETAILERS, DEMO_STORES } from "@o2o/runtime";
import { canHold, sellsFromShelf } from "../src/seed.ts";
import { INVENTORY_READER, GINZA, byDistance, retailerId, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

const STORES = `query($near: GeoPointInput, $radiusKm: Float, $format: StoreFormat, $capability: StoreCapability, $first: Int, $after: String) {
  stores(near: $near, radiusKm: $radiusKm, format: $format, capability: $capability, first: $first, after: $after) {
    edges { cursor distanceKm node { id name format capabilities } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Walks every page of `stores(...)` with `first`, returning the edges in order. */
async function allPages(vars: Record<string, unknown>, first: number) {
  const edges: any[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res: any = await h.q(STORES, { ...vars, first, after });
    expect(res.errors).toBeUndefined();
    const conn = res.data.stores;
    expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
    edges.push(...conn.edges);
    if (!conn.pageInfo.hasNextPage) return edges;
    after = conn.pageInfo.endCursor;
  }
  throw new Error("paging did not end");
}

describe("Query.stores", () => {
  it("orders by distance from near, with SQL distances that match a JS haversine", async () => {
    const res = await h.q(STORES, { near: GINZA, first: 100 });
    const edges = res.data!.stores.edges;
    const wanted = byDistance(GINZA);
    expect(edges.map((e: any) => e.node.id)).toEqual(wanted.map((s) => s.id));
    edges.forEach((e: any, i: number) => expect(e.distanceKm).toBeCloseTo(wanted[i]!.distanceKm, 6));
    expect(edges[0].distanceKm).toBe(0);
  });

  it("keeps only stores within radiusKm, combined with format and capability", async () => {
    const res = await h.q(STORES, { near: GINZA, radiusKm: 5, capability: "CHILLED_STORAGE", first: 100 });
    const wanted = byDistance(GINZA, DEMO_STORES.filter((s) => s.capabilities.includes("CHILLED_STORAGE"))).filter((s) => s.distanceKm <= 5);
    expect(wanted.length).toBeGreaterThan(2);
    expect(res.data!.stores.edges.map((e: any) => e.node.id)).toEqual(wanted.map((s) => s.id));

    const flagships = await h.q(STORES, { near: { lat: 35.6909, lng: 139.7033 }, radiusKm: 10, format: "FLAGSHIP", first: 100 });
    const wantedFlagships = byDistance({ lat: 35.6909, lng: 139.7033 }, DEMO_STORES.filter((s) => s.format === "FLAGSHIP")).filter((s) => s.distanceKm <= 10);
    expect(flagships.data!.stores.edges.map((e: any) => e.node.id)).toEqual(wantedFlagships.map((s) => s.id));
    expect(flagships.data!.stores.edges.every((e: any) => e.node.format === "FLAGSHIP")).toBe(true);
  });

  it("without near: by name then id, no distances; filters by format and capability", async () => {
    const res = await h.q(STORES, { first: 100 });
    const edges = res.data!.stores.edges;
    expect(edges).toHaveLength(DEMO_STORES.length);
    expect(edges.every((e: any) => e.distanceKm === null)).toBe(true);
    expect(new Set(edges.map((e: any) => e.node.id))).toEqual(new Set(DEMO_STORES.map((s) => storeId(s.key))));
    const tf = await h.q(STORES, { capability: "TAX_FREE", format: "DEPARTMENT_STORE", first: 100 });
    expect(tf.data!.stores.edges.map((e: any) => e.node.name)).toEqual(["Meridian Nihonbashi", "Meridian Shinjuku", "Meridian Yokohama"]);
  });

  it("pages by keyset cursors without gaps or repeats, by distance and by name", async () => {
    const full = (await h.q(STORES, { near: GINZA, first: 100 })).data!.stores.edges.map((e: any) => e.node.id);
    for (const first of [1, 3, 7]) {
      expect((await allPages({ near: GINZA }, first)).map((e) => e.node.id)).toEqual(full);
    }
    const within = (await h.q(STORES, { near: GINZA, radiusKm: 12, first: 100 })).data!.stores.edges.map((e: any) => e.node.id);
    expect((await allPages({ near: GINZA, radiusKm: 12 }, 2)).map((e) => e.node.id)).toEqual(within);

    const byName = (await h.q(STORES, { first: 100 })).data!.stores.edges.map((e: any) => e.node.id);
    for (const first of [1, 4, 10]) {
      expect((await allPages({}, first)).map((e) => e.node.id)).toEqual(byName);
    }
    const pickup = await allPages({ capability: "PICKUP" }, 5);
    expect(pickup).toHaveLength(DEMO_STORES.filter((s) => s.capabilities.includes("PICKUP")).length);
  });

  it("returns an empty page for first: 0", async () => {
    const res = await h.q(STORES, { first: 0 });
    expect(res.data!.stores).toEqual({ edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });
});

describe("stores, retailers, hours, stock", () => {
  it("finds a store by id (null when unknown) and lists retailers by name", async () => {
    const res = await h.q(`query($id: ID!) { store(id: $id) { name } none: store(id: "00000000-0000-4000-8000-000000000000") { name } retailers { id name } retailer(id: "${retailerId("corner24")}") { name } }`, {
      id: storeId("carehub-marunouchi"),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.store).toEqual({ name: "CareHub Marunouchi Service Centre" });
    expect(res.data!.none).toBeNull();
    expect(res.data!.retailer).toEqual({ name: "Corner24" });
    expect(res.data!.retailers.map((r: any) => r.id).sort()).toEqual(DEMO_RETAILERS.map((r) => retailerId(r.key)).sort());
  });

  it("gives opening hours by format, every day of the week", async () => {
    const res = await h.q(`query($a: ID!, $b: ID!, $c: ID!, $d: ID!) {
      a: store(id: $a) { openingHours { dayOfWeek opens closes } } b: store(id: $b) { openingHours { dayOfWeek opens closes } }
      c: store(id: $c) { openingHours { dayOfWeek opens closes } } d: store(id: $d) { openingHours { dayOfWeek opens closes } }
    }`, { a: storeId("corner24-kanda"), b: storeId("meridian-shinjuku"), c: storeId("carehub-marunouchi"), d: storeId("hoshi-ginza") });
    const week = (opens: string, closes: string) => [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({ dayOfWeek, opens, closes }));
    expect(res.data).toEqual({
      a: { openingHours: week("00:00", "24:00") },
      b: { openingHours: week("10:00", "20:00") },
      c: { openingHours: week("11:00", "20:00") },
      d: { openingHours: week("10:00", "21:00") },
    });
  });

  it("pages a retailer's stores and a store's stock without gaps", async () => {
    const hoshi = DEMO_STORES.filter((s) => s.retailer === "hoshi").map((s) => storeId(s.key));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await h.q(`query($id: ID!, $after: String) { retailer(id: $id) { stores(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`, {
        id: retailerId("hoshi"),
        after,
      });
      const conn = res.data.retailer.stores;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(hoshi.sort());

    const kanda = DEMO_STORES.find((s) => s.key === "corner24-kanda")!;
    const products: string[] = [];
    after = null;
    for (;;) {
      const res: any = await h.q(`query($id: ID!, $after: String) { store(id: $id) { stock(first: 7, after: $after) { edges { node { product { id } } } pageInfo { hasNextPage endCursor } } } }`, {
        id: storeId(kanda.key),
        after,
      }, INVENTORY_READER);
      const conn = res.data.store.stock;
      products.push(...conn.edges.map((e: any) => e.node.product.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(products).toEqual([...products].sort());
    expect(products).toHaveLength(DEMO_PRODUCTS.filter((p) => sellsFromShelf(kanda) && canHold(kanda, p)).length);
    expect(new Set(products).size).toBe(products.length);
  });
});
