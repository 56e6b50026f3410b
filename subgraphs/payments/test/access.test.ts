import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MEMBER_ORDERS, SOFIA, UNKNOWN_ID, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

const ORDER_BY_ID = `query($id: ID!) { order(id: $id) { id number member { id } total { amount } } }`;
const PARTNER_KEY = { keyId: "key_123", retailerId: null, scopes: ["catalog:read"] };

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

  it("refuses anonymous callers and partner keys without a member with UNAUTHENTICATED", async () => {
    for (const caller of [{}, PARTNER_KEY]) {
      const res = await h.q(MEMBER_ORDERS, { r: memberRep(SOFIA) }, caller);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(res.data!._entities).toEqual([{ id: SOFIA, orders: null }]);
    }
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

  it("order(id) is UNAUTHENTICATED for anonymous callers", async () => {
    for (const caller of [{}, PARTNER_KEY]) {
      const res = await h.q(ORDER_BY_ID, { id: orderId("aiko-1") }, caller);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(res.data).toEqual({ order: null });
    }
  });
});
