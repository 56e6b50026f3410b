import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProductId, demoStoreId } from "@o2o/runtime";
import { AIKO, MEMBER_ORDERS, ORDER, SOFIA, UNKNOWN_ID, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

const ORDER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { ${ORDER} } } }`;

describe("entity contract", () => {
  it("publishes Federation 2 SDL: Order an entity, Member.orders contributed, Product and Store unresolvable references", async () => {
    const res = await h.q("{ _service { sdl } }");
    const sdl = res.data!._service.sdl as string;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Member\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/orders\(first: Int = 10, after: String\): OrderConnection\s/);
    expect(sdl).toMatch(/type Product\s+@key\(fields: "id", resolvable: false\)/);
    expect(sdl).toMatch(/type Store\s+@key\(fields: "id", resolvable: false\)/);
    expect(sdl).toMatch(/type Money\s+@shareable/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    const values = (name: string) => [...(sdl.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))?.[1] ?? "").matchAll(/^\s+([A-Z_]+)\s*$/gm)].map((m) => m[1]);
    expect(values("OrderChannel")).toEqual(["ONLINE", "APP", "IN_STORE_SCAN", "PARTNER_AGENCY", "CHECKOUT_FREE", "SERVICE"]);
    expect(values("OrderStatus")).toEqual(["PENDING_PAYMENT", "AUTHORIZED", "PAID", "CANCELLED", "REFUNDED", "COMPLETED"]);
  });

  it("resolves Order references of the caller in order; another member's, unknown and malformed ids are null", async () => {
    const res = await h.q(
      ORDER_ENTITIES,
      {
        r: [
          { __typename: "Order", id: orderId("aiko-1") },
          { __typename: "Order", id: orderId("wei-1") },
          { __typename: "Order", id: UNKNOWN_ID },
          { __typename: "Order", id: orderId("aiko-9").toUpperCase() },
          { __typename: "Order", id: "42" },
        ],
      },
      { memberId: AIKO },
    );
    expect(res.errors).toBeUndefined();
    const [one, wei, unknown, nine, malformed] = res.data!._entities as any[];
    expect(one).toEqual({
      id: orderId("aiko-1"),
      number: "O2O-26-000102",
      member: { id: AIKO },
      channel: "IN_STORE_SCAN",
      status: "COMPLETED",
      placedAt: "2026-01-18T05:30:00.000Z",
      subtotal: { amount: 8800 + 5940, currency: "JPY" },
      taxFreeAmount: { amount: 0, currency: "JPY" },
      total: { amount: 8800 + 5940, currency: "JPY" },
      attributedStore: { id: demoStoreId("meridian-nihonbashi") },
      lines: [
        {
          id: expect.any(String),
          product: { id: demoProductId("KIT-003") },
          store: { id: demoStoreId("meridian-nihonbashi") },
          quantity: 1,
          unitPrice: { amount: 8800, currency: "JPY" },
          lineTotal: { amount: 8800, currency: "JPY" },
        },
        {
          id: expect.any(String),
          product: { id: demoProductId("KIT-005") },
          store: { id: demoStoreId("meridian-nihonbashi") },
          quantity: 1,
          unitPrice: { amount: 5940, currency: "JPY" },
          lineTotal: { amount: 5940, currency: "JPY" },
        },
      ],
    });
    expect([wei, unknown, malformed]).toEqual([null, null, null]);
    // An online order sold from two stores, attributed to none.
    expect(nine).toMatchObject({ id: orderId("aiko-9"), channel: "ONLINE", attributedStore: null });
    expect(nine.lines.map((l: any) => l.store.id)).toEqual([demoStoreId("meridian-yokohama"), demoStoreId("meridian-nihonbashi")]);
  });

  it("resolves no Order reference for an anonymous caller", async () => {
    const res = await h.q(ORDER_ENTITIES, { r: [{ __typename: "Order", id: orderId("sofia-1") }] });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([null]);
  });

  it("resolves Member.orders on a Member representation for that member", async () => {
    const res = await h.q(MEMBER_ORDERS, { r: memberRep(SOFIA), first: 2 }, { memberId: SOFIA });
    expect(res.errors).toBeUndefined();
    const [sofia] = res.data!._entities as any[];
    expect(sofia.id).toBe(SOFIA);
    expect(sofia.orders.edges.map((e: any) => e.node.id)).toEqual([orderId("sofia-4"), orderId("sofia-3")]);
    expect(sofia.orders.edges[0].node).toMatchObject({ status: "PENDING_PAYMENT", channel: "APP", member: { id: SOFIA } });
    expect(sofia.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it("gives each order a unique O2O-26 number", async () => {
    const numbers: string[] = [];
    for (const memberId of [AIKO, WEI, SOFIA]) {
      const res = await h.q(MEMBER_ORDERS, { r: memberRep(memberId), first: 100 }, { memberId });
      numbers.push(...res.data!._entities[0].orders.edges.map((e: any) => e.node.number));
    }
    expect(numbers.every((n) => /^O2O-26-\d{6}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it("refuses calls that were not signed by the gateway", async () => {
    const { postGraphQL } = await import("@o2o/runtime/testing");
    const res = await postGraphQL(h.url, `{ order(id: "${orderId("aiko-1")}") { id } }`);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
