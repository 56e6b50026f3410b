import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRetailerId } from "@o2o/runtime";
import { AIKO, MEMBER_ORDERS, SOFIA, UNKNOWN_ID, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

const ORDER_BY_ID = `query($id: ID!) { order(id: $id) { id number member { id } total { amount } } }`;
/** A platform key holding no order scope. */
const KEY_WITHOUT_SCOPE = { keyId: "key_123", retailerId: null, scopes: ["inventory:read"] };
const partnerKey = (retailer: string, scopes = ["orders:read"]) => ({ keyId: `key-${retailer}`, retailerId: demoRetailerId(retailer), scopes });
const PLATFORM_KEY = { keyId: "key-platform", retailerId: null, scopes: ["orders:read"] };
const RETAILER_ORDERS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Retailer { orders(first: 20) { edges { node { id } } } } } }`;
const retailerRep = (key: string) => [{ __typename: "Retailer", id: demoRetailerId(key) }];

describe("who may read orders", () => {
  it("refuses another member's orders with FORBIDDEN, before any SQL", async () => {
    const before = await h.sqlStatements();
    const res = await h.q(MEMBER_ORDERS, { r: memberRep(AIKO) }, { memberId: WEI });
    expect(await h.sqlStatements()).toBe(before);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.errors?.[0]?.path).toEqual(["_entities", 0, "orders"]);
    // The field is nullable: only `orders` is null, the member itself still resolves.
    expect(res.data!._entities).toEqual([{ id: AIKO, orders: null }]);
  });

  it("refuses anonymous callers (UNAUTHENTICATED), keys without orders:read and partner keys (FORBIDDEN)", async () => {
    for (const [caller, code] of [[{}, "UNAUTHENTICATED"], [KEY_WITHOUT_SCOPE, "FORBIDDEN"], [partnerKey("meridian"), "FORBIDDEN"]] as const) {
      const res = await h.q(MEMBER_ORDERS, { r: memberRep(SOFIA) }, caller);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data!._entities).toEqual([{ id: SOFIA, orders: null }]);
    }
  });

  it("a platform key with orders:read reads any member's orders", async () => {
    const res = await h.q(MEMBER_ORDERS, { r: memberRep(SOFIA) }, PLATFORM_KEY);
    expect(res.errors).toBeUndefined();
    expect((res.data!._entities as any)[0].orders.edges.length).toBeGreaterThan(0);
  });

  it("gives each member of one _entities call their own verdict", async () => {
    const res = await h.q(MEMBER_ORDERS, { r: [...memberRep(WEI), ...memberRep(AIKO)], first: 1 }, { memberId: AIKO });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const [wei, aiko] = res.data!._entities as any[];
    expect(wei.orders).toBeNull();
    expect(aiko.orders.edges.map((e: any) => e.node.id)).toEqual([orderId("aiko-14")]);
  });

  it("order(id) is the caller's own order", async () => {
    const res = await h.q(ORDER_BY_ID, { id: orderId("wei-2") }, { memberId: WEI });
    expect(res.errors).toBeUndefined();
    expect(res.data!.order).toMatchObject({ id: orderId("wei-2"), member: { id: WEI } });
    // Ids are accepted in either case, as elsewhere.
    const upper = await h.q(ORDER_BY_ID, { id: orderId("wei-2").toUpperCase() }, { memberId: WEI.toUpperCase() });
    expect(upper.data!.order).toMatchObject({ id: orderId("wei-2") });
  });

  it("order(id) is null for another member's order and for an unknown id", async () => {
    for (const id of [orderId("wei-2"), UNKNOWN_ID]) {
      const res = await h.q(ORDER_BY_ID, { id }, { memberId: AIKO });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ order: null });
    }
  });

  it("order(id) is UNAUTHENTICATED for anonymous callers and FORBIDDEN for keys without orders:read", async () => {
    for (const [caller, code] of [[{}, "UNAUTHENTICATED"], [KEY_WITHOUT_SCOPE, "FORBIDDEN"]] as const) {
      const res = await h.q(ORDER_BY_ID, { id: orderId("aiko-1") }, caller);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data).toEqual({ order: null });
    }
  });
});

describe("partner keys see only the orders credited to their retailer", () => {
  it("order(id): Meridian's key reads an order credited to a Meridian store, not one credited to Hoshi", async () => {
    const own = await h.q(ORDER_BY_ID, { id: orderId("aiko-1") }, partnerKey("meridian"));
    expect(own.data!.order).toMatchObject({ id: orderId("aiko-1") });
    for (const id of [orderId("aiko-5"), orderId("wei-1"), orderId("aiko-7")]) {
      const other = await h.q(ORDER_BY_ID, { id }, partnerKey("meridian"));
      expect(other.errors).toBeUndefined();
      expect(other.data).toEqual({ order: null });
    }
    expect((await h.q(ORDER_BY_ID, { id: orderId("aiko-5") }, PLATFORM_KEY)).data!.order).toMatchObject({ id: orderId("aiko-5") });
  });

  it("Retailer.orders lists the retailer's own orders to its keys and refuses other retailers' keys", async () => {
    const hoshi = await h.q(RETAILER_ORDERS, { r: retailerRep("hoshi") }, partnerKey("hoshi"));
    expect(hoshi.errors).toBeUndefined();
    const ids = (hoshi.data!._entities as any)[0].orders.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([orderId("wei-1"), orderId("wei-2"), orderId("wei-3"), orderId("aiko-5")]));
    expect(ids).not.toContain(orderId("aiko-1"));
    const foreign = await h.q(RETAILER_ORDERS, { r: retailerRep("hoshi") }, partnerKey("meridian"));
    expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(foreign.data!._entities).toEqual([{ orders: null }]);
    expect((await h.q(RETAILER_ORDERS, { r: retailerRep("hoshi") }, { memberId: WEI })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(RETAILER_ORDERS, { r: retailerRep("hoshi") }, PLATFORM_KEY)).errors).toBeUndefined();
  });

  it("Retailer.orders pages several retailers in one statement per request", async () => {
    const before = await h.sqlStatements();
    const res = await h.q(RETAILER_ORDERS, { r: [...retailerRep("hoshi"), ...retailerRep("meridian"), ...retailerRep("freshway")] }, PLATFORM_KEY);
    expect(res.errors).toBeUndefined();
    expect(await h.sqlStatements()).toBeLessThanOrEqual(before + 1);
  });
});
