import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL } from "@o2o/runtime/testing";
import { INVENTORY_READER, GINZA, UNKNOWN_ID, productId, productRefs, retailerId, startStores, storeId, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(async () => h?.stop());

describe("entity contract", () => {
  it("publishes Federation 2 SDL with Store and Retailer keys and its contribution to Product", async () => {
    const res = await h.q("{ _service { sdl } }");
    const sdl = res.data!._service.sdl as string;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(sdl).toMatch(/type Store\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Retailer\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/availability\(near: GeoPointInput!, radiusKm: Float = 25, first: Int = 5\): \[StoreAvailability!\]/);
    expect(sdl).toMatch(/inventory\(storeId: ID!\): StockLevel/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });

  it("resolves Store references in order; unknown and malformed ids are null", async () => {
    const res = await h.q(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store {
        id name format timeZone address { line1 city country } location { lat lng } capabilities retailer { id name } popUp { opensOn closesOn }
      } } }`,
      {
        r: [
          { __typename: "Store", id: storeId("lumen-popup-harajuku") },
          { __typename: "Store", id: UNKNOWN_ID },
          { __typename: "Store", id: storeId("hoshi-ginza").toUpperCase() },
          { __typename: "Store", id: "42" },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      {
        id: storeId("lumen-popup-harajuku"),
        name: "Lumen Pop-up Harajuku",
        format: "POP_UP",
        timeZone: "Asia/Tokyo",
        address: { line1: "1-19-11 Jingumae, Shibuya-ku", city: "Tokyo", country: "JP" },
        location: { lat: 35.6702, lng: 139.7027 },
        capabilities: ["PICKUP"],
        retailer: { id: retailerId("lumen"), name: "Lumen Cross-Border" },
        popUp: { opensOn: "2026-10-01", closesOn: "2027-03-31" },
      },
      null,
      {
        id: storeId("hoshi-ginza"),
        name: "Hoshi Ginza Flagship",
        format: "FLAGSHIP",
        timeZone: "Asia/Tokyo",
        address: { line1: "4-6-16 Ginza, Chuo-ku", city: "Tokyo", country: "JP" },
        location: { lat: 35.6717, lng: 139.765 },
        capabilities: ["TAX_FREE", "PICKUP", "HOME_DELIVERY"],
        retailer: { id: retailerId("hoshi"), name: "Hoshi Downtown Tax-Free" },
        popUp: null,
      },
      null,
    ]);
  });

  it("resolves Retailer references with their stores", async () => {
    const res = await h.q(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Retailer { id name stores(first: 10) { edges { node { name } } } } } }`,
      { r: [{ __typename: "Retailer", id: retailerId("meridian") }, { __typename: "Retailer", id: UNKNOWN_ID }, { __typename: "Retailer", id: "x" }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      {
        id: retailerId("meridian"),
        name: "Meridian Department Stores",
        stores: { edges: [{ node: { name: "Meridian Nihonbashi" } }, { node: { name: "Meridian Shinjuku" } }, { node: { name: "Meridian Yokohama" } }] },
      },
      null,
      null,
    ]);
  });

  it("adds availability and inventory to Product references", async () => {
    const res = await h.q(
      `query($r: [_Any!]!, $near: GeoPointInput!, $ginza: ID!) { _entities(representations: $r) { ... on Product {
        id availability(near: $near) { store { id } quantity distanceKm } inventory(storeId: $ginza) { store { id } quantity }
      } } }`,
      { r: [...productRefs(["HAN-001"]), { __typename: "Product", id: "nope" }], near: GINZA, ginza: storeId("hoshi-ginza") },
    );
    expect(res.errors).toBeUndefined();
    const [han, bad] = res.data!._entities;
    expect(bad).toBeNull();
    expect(han.id).toBe(productId("HAN-001"));
    expect(han.availability).toHaveLength(5);
    expect(han.availability.every((a: any) => a.quantity > 0 && a.distanceKm >= 0 && a.distanceKm <= 25)).toBe(true);
    expect(han.inventory.store.id).toBe(storeId("hoshi-ginza"));
    expect(Number.isInteger(han.inventory.quantity)).toBe(true);
  });

  it("lists stock rows as Product references", async () => {
    const res = await h.q(`query($id: ID!) { store(id: $id) { stock(first: 3) { edges { node { product { id } quantity updatedAt } } } } }`, { id: storeId("hoshi-ginza") }, INVENTORY_READER);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.store.stock.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n: any) => /^[0-9a-f-]{36}$/.test(n.product.id) && n.quantity >= 0 && n.updatedAt === "2026-11-22T00:00:00.000Z")).toBe(true);
  });

  it("refuses calls that were not signed by the gateway", async () => {
    const res = await postGraphQL(h.url, "{ retailers { id } }");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.data ?? null).toBeNull();
  });
});
