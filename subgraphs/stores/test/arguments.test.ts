import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "@o2o/runtime";
import { INVENTORY_READER, productId, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

const product = (args: string, field = "availability") =>
  `{ _entities(representations: [{ __typename: "Product", id: "${productId("HAN-001")}" }]) { ... on Product { ${field}(${args}) { quantity } } } }`;

describe("BAD_USER_INPUT before any SQL", () => {
  it.each([
    ["availability: lat above 90", product(`near: { lat: 90.5, lng: 139 }`)],
    ["availability: lat below -90", product(`near: { lat: -91, lng: 139 }`)],
    ["availability: lng above 180", product(`near: { lat: 35, lng: 180.01 }`)],
    ["availability: lng below -180", product(`near: { lat: 35, lng: -200 }`)],
    ["availability: radiusKm 0", product(`near: { lat: 35, lng: 139 }, radiusKm: 0`)],
    ["availability: negative radiusKm", product(`near: { lat: 35, lng: 139 }, radiusKm: -5`)],
    ["availability: radiusKm above 500", product(`near: { lat: 35, lng: 139 }, radiusKm: 500.5`)],
    ["availability: first 0", product(`near: { lat: 35, lng: 139 }, first: 0`)],
    ["availability: first above 50", product(`near: { lat: 35, lng: 139 }, first: 51`)],
    ["inventory: a malformed storeId", product(`storeId: "ginza"`, "inventory")],
    ["store: a malformed id", `{ store(id: "42") { id } }`],
    ["retailer: a malformed id", `{ retailer(id: "hoshi") { id } }`],
    ["stores: lat out of range", `{ stores(near: { lat: 100, lng: 0 }) { edges { cursor } } }`],
    ["stores: lng out of range", `{ stores(near: { lat: 0, lng: 181 }) { edges { cursor } } }`],
    ["stores: radiusKm 0", `{ stores(near: { lat: 35, lng: 139 }, radiusKm: 0) { edges { cursor } } }`],
    ["stores: radiusKm above 500", `{ stores(near: { lat: 35, lng: 139 }, radiusKm: 501) { edges { cursor } } }`],
    ["stores: radiusKm without near", `{ stores(radiusKm: 5) { edges { cursor } } }`],
    ["stores: a negative first", `{ stores(first: -1) { edges { cursor } } }`],
    ["stores: first above 100", `{ stores(first: 101) { edges { cursor } } }`],
    ["stores: a forged cursor", `{ stores(after: "bm90LWEtY3Vyc29y!") { edges { cursor } } }`],
    ["stores: a well-formed cursor of another shape", `{ stores(after: "${encodeCursor(["n", "x", "not-a-uuid"])}") { edges { cursor } } }`],
    ["stores: a name cursor used with near", `{ stores(near: { lat: 35, lng: 139 }, after: "${encodeCursor(["n", "Hoshi", storeId("hoshi-ginza")])}") { edges { cursor } } }`],
    ["stores: a distance cursor used without near", `{ stores(after: "${encodeCursor(["d", 1.5, storeId("hoshi-ginza")])}") { edges { cursor } } }`],
    ["retailer stores: first above 100", `{ retailers { stores(first: 1000) { edges { cursor } } } }`],
    ["retailer stores: a forged cursor", `{ retailers { stores(after: "${encodeCursor({ offset: 3 })}") { edges { cursor } } } }`],
    ["store stock: a negative first", `{ store(id: "${storeId("hoshi-ginza")}") { stock(first: -2) { edges { cursor } } } }`],
    ["store stock: a forged cursor", `{ store(id: "${storeId("hoshi-ginza")}") { stock(after: "${encodeCursor("HAN-001")}") { edges { cursor } } } }`],
  ])("refuses %s", async (_, query) => {
    const res = await h.q(query, {}, INVENTORY_READER);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  });

  it("refuses an impossible date for isOpenOn", async () => {
    // As a variable: graphql-js reports a bad literal as a validation failure instead.
    const res = await h.q(`query($d: Date!) { store(id: "${storeId("hoshi-ginza")}") { isOpenOn(date: $d) } }`, { d: "2026-02-30" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("runs no SQL for a refused availability question", async () => {
    const before = await h.sqlStatements();
    const res = await h.q(product(`near: { lat: 95, lng: 139 }`));
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await h.sqlStatements()).toBe(before);
  });

  it("accepts the edges of the ranges", async () => {
    const res = await h.q(`{
      a: _entities(representations: [{ __typename: "Product", id: "${productId("HAN-001")}" }]) { ... on Product { availability(near: { lat: -90, lng: 180 }, radiusKm: 500, first: 50) { quantity } } }
      b: _entities(representations: [{ __typename: "Product", id: "${productId("HAN-001")}" }]) { ... on Product { availability(near: { lat: 90, lng: -180 }, radiusKm: 0.001, first: 1) { quantity } } }
      stores(near: { lat: 35.6717, lng: 139.765 }, radiusKm: 500, first: 100) { edges { distanceKm } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.stores.edges.length).toBeGreaterThan(0);
  });
});
