import { readFileSync } from "node:fs";
import { demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, product, setStock, type CheckoutAnswer } from "./commerce.ts";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// The gateway's shared read cache through the gateway over HTTP: public answers are shared (whole, and per entity),
// a checkout drops the availability it changed at once, private data is never shared, and every replica sees the same
// cache (Redis with REDIS_URL; one process's memory in the embedded mode).
const PRODUCT_PAGE = readFileSync(new URL("../../schema/operations/product-page.graphql", import.meta.url), "utf8");
const LISTING = `query Listing($first: Int!, $near: GeoPointInput!) {
  products(first: $first) { edges { node { id sku price { amount currency } availability(near: $near, first: 3) { quantity store { id name } } } } }
}`;
const near = { lat: 35.6717, lng: 139.765 };
const pickupDate = new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });

let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

/** Runs `fn` and returns how many subgraph fetches and cache hits/misses it caused. */
async function counted<T>(fn: () => Promise<T>) {
  const read = async () => ({
    fetches: await t.metric("o2o_subgraph_fetches_total"),
    responseHits: await t.metric("o2o_cache_lookups_total", { layer: "response", outcome: "hit" }),
    entityHits: await t.metric("o2o_cache_lookups_total", { layer: "fetch", subgraph: "stores", outcome: "hit" }),
    entityMisses: await t.metric("o2o_cache_lookups_total", { layer: "fetch", subgraph: "stores", outcome: "miss" }),
  });
  const before = await read();
  const value = await fn();
  const after = await read();
  return {
    value,
    fetches: after.fetches - before.fetches,
    responseHits: after.responseHits - before.responseHits,
    entityHits: after.entityHits - before.entityHits,
    entityMisses: after.entityMisses - before.entityMisses,
  };
}

const page = (sku: string, headers: Record<string, string> = {}) => t.query(PRODUCT_PAGE, { sku, near, pickupDate }, headers);

describe("the shared read cache", () => {
  it("answers a repeated public product page whole from the cache: no subgraph fetch, the same data", async () => {
    const first = await counted(() => page("HAN-001"));
    expect(first.value.errors).toBeUndefined();
    expect(first.value.data!.me).toBeNull();
    expect(first.fetches).toBe(4); // products, stores, logistics, members (`me`: null for every anonymous caller)
    const second = await counted(() => page("HAN-001"));
    expect(second.fetches).toBe(0);
    expect(second.responseHits).toBe(1);
    expect(second.value.data).toEqual(first.value.data);
  });

  it("caches availability per product: a 50-product listing fetches only the 40 it has not seen", async () => {
    await counted(() => t.query(LISTING, { first: 10, near }));
    const fifty = await counted(() => t.query(LISTING, { first: 50, near }));
    expect(fifty.value.errors).toBeUndefined();
    expect(fifty.value.data!.products.edges).toHaveLength(50);
    expect(fifty.entityHits).toBe(10);
    expect(fifty.entityMisses).toBe(40);
  });

  it("shows the stock a checkout left at once, on the cached page as in the listing", async () => {
    const item = product((p) => p.sku === "HAN-002");
    const ginza = demoStoreId("hoshi-ginza");
    await setStock(t, "hoshi-ginza", item.id, 7);
    const quantityAtGinza = async () => {
      const res = await page("HAN-002");
      return (res.data!.product.availability as { quantity: number; store: { id: string } }[]).find((a) => a.store.id === ginza)?.quantity;
    };
    expect(await quantityAtGinza()).toBe(7);
    expect((await counted(quantityAtGinza)).fetches).toBe(0); // served from the cache

    const order = await t.query<CheckoutAnswer>(
      CHECKOUT,
      { input: { channel: "IN_STORE_SCAN", lines: [{ productId: item.id, storeId: ginza, quantity: 2 }], idempotencyKey: `read-cache-${Date.now()}` } },
      t.as("aiko"),
    );
    expect(order.data!.checkout.userErrors).toEqual([]);
    const after = await counted(quantityAtGinza);
    expect(after.value).toBe(5);
    expect(after.responseHits).toBe(0);
  });

  it("shows a new price at once: setProductPrice drops the product's cached answers", async () => {
    const item = product((p) => p.sku === "SOR-002");
    const before = await page("SOR-002");
    expect(before.data!.product.price.amount).toBe(item.price);
    expect((await counted(() => page("SOR-002"))).responseHits).toBe(1);
    const admin = await t.key(["catalog:write"]);
    const set = await t.query(
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { userErrors { code } } }`,
      { input: { productId: item.id, price: { amount: item.price + 500, currency: "JPY" } } },
      admin.headers,
    );
    expect(set.data!.setProductPrice.userErrors).toEqual([]);
    const after = await counted(() => page("SOR-002"));
    expect(after.value.data!.product.price.amount).toBe(item.price + 500);
    expect(after.responseHits).toBe(0);
  });

  it("never shares private data: each member gets their own `me`, fetched every time", async () => {
    const aiko = await page("HAN-001", t.as("aiko"));
    const wei = await counted(() => page("HAN-001", t.as("wei")));
    expect(aiko.data!.me.displayName).not.toEqual(wei.value.data!.me.displayName);
    const again = await counted(() => page("HAN-001", t.as("wei")));
    expect(again.value.data!.me).toEqual(wei.value.data!.me);
    expect(again.responseHits).toBe(0);
    expect(again.fetches).toBeGreaterThanOrEqual(2); // members and payments every time; the public parts may be cached
  });

  it("is shared by every gateway replica", async () => {
    await page("SOR-001");
    const replica = await t.replica();
    const res = await counted(() => t.query(PRODUCT_PAGE, { sku: "SOR-001", near, pickupDate }).then(() => fetchFrom(replica.url)));
    expect(res.value.errors).toBeUndefined();
    expect(res.fetches).toBe(0);
    expect(res.responseHits).toBe(2);
  });

  it("can be turned off (GATEWAY_CACHE=off): every request fetches", async () => {
    const uncached = await t.replica({ cache: false });
    await fetchFrom(uncached.url);
    const again = await counted(() => fetchFrom(uncached.url));
    expect(again.fetches).toBe(4);
    expect(again.responseHits).toBe(0);
  });
});

async function fetchFrom(url: string): Promise<{ data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: PRODUCT_PAGE, variables: { sku: "SOR-001", near, pickupDate } }) });
  return (await res.json()) as { data?: Record<string, unknown> };
}
