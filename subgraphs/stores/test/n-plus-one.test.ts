import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, DEMO_STORES } from "@o2o/runtime";
import { INVENTORY_READER, GINZA, productRefs, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

async function statementsFor(query: string, variables: Record<string, unknown>) {
  const before = await h.sqlStatements();
  const res = await h.q(query, variables, INVENTORY_READER);
  const after = await h.sqlStatements();
  expect(res.errors).toBeUndefined();
  return { count: after - before, data: res.data as any };
}

const AVAILABILITY = `query($r: [_Any!]!, $near: GeoPointInput!) { _entities(representations: $r) { ... on Product {
  id availability(near: $near, radiusKm: 30, first: 5) { store { id name format retailer { name } } quantity distanceKm }
} } }`;

const SKUS = DEMO_PRODUCTS.map((p) => p.sku);

describe("no N+1", () => {
  it("resolves availability for 10 or 50 products (with stores and retailers) in the same number of SQL statements", async () => {
    const ten = await statementsFor(AVAILABILITY, { r: productRefs(SKUS.slice(0, 10)), near: GINZA });
    const fifty = await statementsFor(AVAILABILITY, { r: productRefs(SKUS.slice(0, 50)), near: GINZA });
    expect(ten.count).toBeGreaterThan(0);
    expect(fifty.count).toBe(ten.count);
    // availability (one window-function query), stores, retailers: one statement each.
    expect(fifty.count).toBeLessThanOrEqual(3);
    expect(fifty.data._entities.slice(0, 10)).toEqual(ten.data._entities);
    expect(fifty.data._entities.filter((p: any) => p.availability.length > 0).length).toBeGreaterThan(40);
  });

  it("runs one availability statement per distinct set of arguments, not per product", async () => {
    const query = `query($r: [_Any!]!, $near: GeoPointInput!) { _entities(representations: $r) { ... on Product {
      a: availability(near: $near, first: 2) { quantity } b: availability(near: $near, radiusKm: 5, first: 3) { quantity }
    } } }`;
    const ten = await statementsFor(query, { r: productRefs(SKUS.slice(0, 10)), near: GINZA });
    const fifty = await statementsFor(query, { r: productRefs(SKUS.slice(0, 50)), near: GINZA });
    expect(fifty.count).toBe(ten.count);
    expect(fifty.count).toBe(2);
  });

  it("resolves inventory for many products in one statement", async () => {
    const query = `query($r: [_Any!]!, $s: ID!) { _entities(representations: $r) { ... on Product { inventory(storeId: $s) { quantity store { name } } } } }`;
    const ten = await statementsFor(query, { r: productRefs(SKUS.slice(0, 10)), s: storeId("meridian-nihonbashi") });
    const fifty = await statementsFor(query, { r: productRefs(SKUS.slice(0, 50)), s: storeId("meridian-nihonbashi") });
    expect(fifty.count).toBe(ten.count);
    expect(fifty.count).toBeLessThanOrEqual(2);
  });

  it("lists stores with retailers, hours and stock pages in a constant number of statements", async () => {
    const query = `query($first: Int) { stores(first: $first) { edges { node {
      name retailer { name stores(first: 2) { edges { node { name } } } } openingHours { opens } isOpenOn(date: "2026-11-23")
      stock(first: 3) { edges { node { quantity product { id } } } }
    } } } }`;
    const three = await statementsFor(query, { first: 3 });
    const all = await statementsFor(query, { first: DEMO_STORES.length });
    expect(all.data.stores.edges).toHaveLength(DEMO_STORES.length);
    expect(all.count).toBe(three.count);
  });
});
