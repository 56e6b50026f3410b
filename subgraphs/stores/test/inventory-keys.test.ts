import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productId, retailerId, startStores, storeId, type Harness } from "./support.ts";

// Partner inventory is bound to the key's retailer here, in the subgraph that owns stock (not only at the gateway).
let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(() => h?.stop());

const key = (retailer: string | null, scopes: string[]) => ({ keyId: `key-${retailer ?? "platform"}`, retailerId: retailer ? retailerId(retailer) : null, scopes });
const STOCK = `query($id: ID!) { store(id: $id) { name stock(first: 2) { edges { node { quantity } } } } }`;
const SET = `mutation($i: SetStockLevelInput!) { setStockLevel(input: $i) { stockItem { quantity product { id } } userErrors { code field } } }`;
const LEVEL = `query($r: [_Any!]!, $s: ID!) { _entities(representations: $r) { ... on Product { inventory(storeId: $s) { quantity } } } }`;
const level = async (store: string, sku: string) =>
  ((await h.q(LEVEL, { r: [{ __typename: "Product", id: productId(sku) }], s: storeId(store) })).data as any)._entities[0].inventory?.quantity ?? null;

describe("Store.stock (inventory:read)", () => {
  it("a partner key reads its own stores' stock and is refused another retailer's", async () => {
    const own = await h.q(STOCK, { id: storeId("meridian-nihonbashi") }, key("meridian", ["inventory:read"]));
    expect(own.errors).toBeUndefined();
    expect((own.data as any).store.stock.edges.length).toBeGreaterThan(0);
    const other = await h.q(STOCK, { id: storeId("hoshi-ginza") }, key("meridian", ["inventory:read"]));
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((other.data as any).store).toEqual({ name: "Hoshi Ginza Flagship", stock: null });
  });

  it("a platform key reads every store; no scope or no key is refused", async () => {
    expect((await h.q(STOCK, { id: storeId("hoshi-ginza") }, key(null, ["inventory:read"]))).errors).toBeUndefined();
    expect((await h.q(STOCK, { id: storeId("hoshi-ginza") }, key(null, ["orders:read"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(STOCK, { id: storeId("hoshi-ginza") })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await h.q(STOCK, { id: storeId("hoshi-ginza") }, { memberId: "9b0e7a8c-1d2e-4f3a-8b4c-5d6e7f8a9b0c", scopes: ["orders:read"] })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("setStockLevel (inventory:write)", () => {
  it("sets its own store's level, idempotently", async () => {
    const input = { storeId: storeId("meridian-shinjuku"), productId: productId("HAN-001"), quantity: 42 };
    for (let i = 0; i < 2; i++) {
      const res = await h.q(SET, { i: input }, key("meridian", ["inventory:write"]));
      expect(res.data).toEqual({ setStockLevel: { stockItem: { quantity: 42, product: { id: productId("HAN-001") } }, userErrors: [] } });
    }
    expect(await level("meridian-shinjuku", "HAN-001")).toBe(42);
  });

  it("answers another retailer's store like an unknown one and writes nothing", async () => {
    const before = await level("hoshi-ginza", "HAN-001");
    const res = await h.q(SET, { i: { storeId: storeId("hoshi-ginza"), productId: productId("HAN-001"), quantity: 0 } }, key("meridian", ["inventory:write"]));
    expect(res.data).toEqual({ setStockLevel: { stockItem: null, userErrors: [{ code: "STORE_NOT_FOUND", field: ["input", "storeId"] }] } });
    expect(await level("hoshi-ginza", "HAN-001")).toBe(before);
  });

  it.each([
    ["a negative quantity", { quantity: -1 }, "INVALID_QUANTITY"],
    ["a huge quantity", { quantity: 1_000_001 }, "INVALID_QUANTITY"],
    ["a malformed product id", { productId: "HAN-001" }, "UNKNOWN_PRODUCT"],
    ["a malformed store id", { storeId: "ginza" }, "STORE_NOT_FOUND"],
  ])("refuses %s", async (_, change, code) => {
    const input = { storeId: storeId("meridian-shinjuku"), productId: productId("HAN-001"), quantity: 1, ...change };
    const res = await h.q(SET, { i: input }, key(null, ["inventory:write"]));
    expect((res.data as any).setStockLevel.userErrors[0].code).toBe(code);
  });

  it("needs the scope", async () => {
    const input = { storeId: storeId("meridian-shinjuku"), productId: productId("HAN-001"), quantity: 1 };
    expect((await h.q(SET, { i: input }, key("meridian", ["inventory:read"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
