import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, demoProductId, demoRetailerId, entityTag, memoryCache, rootTag, versionKey } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { createProductsSubgraph } from "../src/server.ts";

// setProductPrice on the products subgraph alone: who may, what is refused, and the read cache's tags it drops.
const cache = memoryCache();
let t: TestSubgraph;
beforeAll(async () => {
  t = await startTestSubgraph((target) => createProductsSubgraph(target, cache));
});
afterAll(async () => t?.stop());

const SET = `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id price { amount currency } } userErrors { code field } } }`;
const item = DEMO_PRODUCTS[0]!;
const id = demoProductId(item.sku);
const platform = { keyId: "k1", scopes: ["catalog:write"] };
const version = async (tag: string) => Number((await cache.get(versionKey(tag))) ?? 0);

describe("setProductPrice", () => {
  it("sets the price and drops the product's cached answers (its tag and the products root tag)", async () => {
    const [entity, root] = [await version(entityTag("products", "Product", id)), await version(rootTag("products"))];
    const res = await t.q(SET, { input: { productId: id, price: { amount: item.price + 100, currency: "JPY" } } }, platform);
    expect(res.data!.setProductPrice).toEqual({ product: { id, price: { amount: item.price + 100, currency: "JPY" } }, userErrors: [] });
    expect(await version(entityTag("products", "Product", id))).toBe(entity + 1);
    expect(await version(rootTag("products"))).toBe(root + 1);
    const again = await t.q(`query($id: ID!) { product(id: $id) { price { amount } } }`, { id });
    expect(again.data!.product.price.amount).toBe(item.price + 100);
  });

  it("changes nothing (and drops nothing) when the price is the one it has", async () => {
    const before = await version(entityTag("products", "Product", id));
    const res = await t.q(SET, { input: { productId: id, price: { amount: item.price + 100, currency: "JPY" } } }, platform);
    expect(res.data!.setProductPrice.userErrors).toEqual([]);
    expect(await version(entityTag("products", "Product", id))).toBe(before);
  });

  it("refuses bad input with userErrors and writes nothing", async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ productId: id, price: { amount: -1, currency: "JPY" } }, "INVALID_PRICE", ["input", "price", "amount"]],
      [{ productId: id, price: { amount: 100_000_001, currency: "JPY" } }, "INVALID_PRICE", ["input", "price", "amount"]],
      [{ productId: id, price: { amount: 500, currency: "EUR" } }, "CURRENCY_MISMATCH", ["input", "price", "currency"]],
      [{ productId: "00000000-0000-4000-8000-000000000000", price: { amount: 500, currency: "JPY" } }, "UNKNOWN_PRODUCT", ["input", "productId"]],
      [{ productId: "not-an-id", price: { amount: 500, currency: "JPY" } }, "UNKNOWN_PRODUCT", ["input", "productId"]],
    ];
    for (const [input, code, field] of cases) {
      const res = await t.q(SET, { input }, platform);
      expect(res.data!.setProductPrice).toEqual({ product: null, userErrors: [{ code, field }] });
    }
    const now = await t.q(`query($id: ID!) { product(id: $id) { price { amount } } }`, { id });
    expect(now.data!.product.price.amount).toBe(item.price + 100);
  });

  it("is for platform keys with catalog:write only: a partner key or a key without the scope is FORBIDDEN", async () => {
    const input = { productId: id, price: { amount: 1, currency: "JPY" } };
    const partner = await t.q(SET, { input }, { keyId: "k2", retailerId: demoRetailerId("meridian"), scopes: ["catalog:write"] });
    const unscoped = await t.q(SET, { input }, { keyId: "k3", scopes: ["inventory:write"] });
    for (const res of [partner, unscoped]) expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
