import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { withSqlTransaction } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "@o2o/runtime";
import { productId, retailerId, startStores, storeId, UNKNOWN_ID, type Harness } from "./support.ts";

// Visits (door counts, member check-ins) and Store.conversion in the subgraph that owns them; payments' side of the
// conversion (attributedSales) is a stub here that records every call, so the batching is visible.
let h: Harness;
let payments: Server;
const calls: { storeId: string; from: string; to: string; timeZone: string }[][] = [];
beforeAll(async () => {
  h = await startStores();
  payments = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const { variables } = JSON.parse(body);
      calls.push(variables.r);
      const answer = variables.r.map((r: { storeId: string }) => (r.storeId === storeId("lumen-omotesando") ? { orders: 3, revenue: [{ amount: 30000, currency: "JPY" }] } : { orders: 0, revenue: [] }));
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { attributedSales: answer } }));
    });
  });
  await new Promise<void>((resolve) => payments.listen(0, "127.0.0.1", resolve));
  h.wiring.peers.register("payments", `http://127.0.0.1:${(payments.address() as AddressInfo).port}/graphql`);
});
afterAll(async () => {
  await h?.stop();
  await new Promise((resolve) => payments?.close(resolve));
});

const SHOWROOM = storeId("lumen-omotesando");
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
const lumenWriter = { keyId: "key-lumen", retailerId: retailerId("lumen"), scopes: ["visits:write"] };
const analyst = { keyId: "key-platform", retailerId: null, scopes: ["analytics:read"] };
const RECORD = `mutation($i: RecordStoreVisitsInput!) { recordStoreVisits(input: $i) { visitCount { date hour count } userErrors { code field } } }`;
const CHECK_IN = `mutation($s: ID!) { checkInAtStore(storeId: $s) { checkIn { date } firstToday userErrors { code } } }`;
const CONVERSION = `query($id: ID!, $from: Date!, $to: Date!) { store(id: $id) { conversion(from: $from, to: $to) { visits identifiedVisits identifiedMembers ordersAttributed conversionRate revenueAttributed { amount currency } } } }`;
const figures = async (from: string, to: string, id = SHOWROOM) => ((await h.q(CONVERSION, { id, from, to }, analyst)).data as any).store.conversion;

describe("recordStoreVisits", () => {
  it("refuses an hour that has not begun yet today (store time) and accepts one that has", async () => {
    h.setNow("2026-11-23T03:30:00.000Z"); // 12:30 in Tokyo
    const future = await h.q(RECORD, { i: { storeId: SHOWROOM, date: "2026-11-23", hour: 13, count: 5, idempotencyKey: "h13" } }, lumenWriter);
    expect((future.data as any).recordStoreVisits).toEqual({ visitCount: null, userErrors: [{ code: "DATE_IN_FUTURE", field: ["input", "hour"] }] });
    const now = await h.q(RECORD, { i: { storeId: SHOWROOM, date: "2026-11-23", hour: 12, count: 5, idempotencyKey: "h12" } }, lumenWriter);
    expect((now.data as any).recordStoreVisits).toEqual({ visitCount: { date: "2026-11-23", hour: 12, count: 5 }, userErrors: [] });
  });

  it("answers twenty concurrent copies of one report once", async () => {
    const i = { storeId: SHOWROOM, date: "2026-11-20", count: 31, idempotencyKey: "day-20" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.q(RECORD, { i }, lumenWriter)));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(await sql(`SELECT hour, count FROM stores.store_visit_count WHERE store_id = $1 AND visit_date = '2026-11-20'`, [SHOWROOM])).toEqual([{ hour: -1, count: 31 }]);
  });

  it("binds a partner key to its own stores", async () => {
    const res = await h.q(RECORD, { i: { storeId: storeId("hoshi-ginza"), date: "2026-11-20", count: 1, idempotencyKey: "x" } }, lumenWriter);
    expect((res.data as any).recordStoreVisits.userErrors).toEqual([{ code: "STORE_NOT_FOUND", field: ["input", "storeId"] }]);
    expect(await sql(`SELECT count(*)::int AS n FROM stores.store_visit_count WHERE store_id = $1`, [storeId("hoshi-ginza")])).toEqual([{ n: 0 }]);
  });
});

describe("checkInAtStore", () => {
  it("counts one visit per member and local day: the next Tokyo day counts again", async () => {
    const aiko = { memberId: "6f1e2d3c-4b5a-4968-8776-655443322110", scopes: [] };
    h.setNow("2026-11-23T14:50:00.000Z"); // 23:50 in Tokyo
    expect((await h.q(CHECK_IN, { s: SHOWROOM }, aiko)).data).toEqual({ checkInAtStore: { checkIn: { date: "2026-11-23" }, firstToday: true, userErrors: [] } });
    expect((await h.q(CHECK_IN, { s: SHOWROOM }, aiko)).data).toEqual({ checkInAtStore: { checkIn: { date: "2026-11-23" }, firstToday: false, userErrors: [] } });
    h.setNow("2026-11-23T15:10:00.000Z"); // 00:10 the next day in Tokyo
    expect((await h.q(CHECK_IN, { s: SHOWROOM }, aiko)).data).toEqual({ checkInAtStore: { checkIn: { date: "2026-11-24" }, firstToday: true, userErrors: [] } });
    expect(await figures("2026-11-23", "2026-11-24")).toMatchObject({ identifiedVisits: 2, identifiedMembers: 1 });
    const unknown = await h.q(CHECK_IN, { s: UNKNOWN_ID }, aiko);
    expect((unknown.data as any).checkInAtStore.userErrors).toEqual([{ code: "UNKNOWN_STORE" }]);
    h.setNow("2026-11-23T03:00:00.000Z");
  });
});

describe("Store.conversion", () => {
  it("sums the seeded October door counts and asks payments once for every store of the request", async () => {
    calls.length = 0;
    const oct = await figures("2026-10-01", "2026-10-31");
    expect(oct).toEqual({ visits: 1510, identifiedVisits: 4, identifiedMembers: 3, ordersAttributed: 3, conversionRate: 3 / 1510, revenueAttributed: { amount: 30000, currency: "JPY" } });
    expect(calls).toEqual([[{ storeId: SHOWROOM, from: "2026-10-01", to: "2026-10-31", timeZone: "Asia/Tokyo" }]]);

    calls.length = 0;
    const LIST = `{ stores(first: 10) { edges { node { id conversion(from: "2026-10-01", to: "2026-10-31") { ordersAttributed visits } } } } }`;
    const list = await h.q(LIST, {}, analyst);
    expect(list.errors).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(10);
  });

  it("is FORBIDDEN to other retailers' keys and to members; bad ranges are BAD_USER_INPUT", async () => {
    const codeOf = async (caller: object, from = "2026-10-01", to = "2026-10-31") => (await h.q(CONVERSION, { id: SHOWROOM, from, to }, caller)).errors?.[0]?.extensions?.code ?? null;
    expect(await codeOf({ keyId: "k", retailerId: retailerId("lumen"), scopes: ["analytics:read"] })).toBeNull();
    expect(await codeOf({ keyId: "k", retailerId: retailerId("hoshi"), scopes: ["analytics:read"] })).toBe("FORBIDDEN");
    expect(await codeOf({ memberId: "6f1e2d3c-4b5a-4968-8776-655443322110", scopes: ["orders:read"] })).toBe("FORBIDDEN");
    expect(await codeOf(analyst, "2026-10-02", "2026-10-01")).toBe("BAD_USER_INPUT");
    expect(await codeOf(analyst, "2025-01-01", "2026-01-02")).toBe("BAD_USER_INPUT"); // 367 days
    expect(await codeOf(analyst, "2025-01-01", "2026-01-01")).toBeNull(); // 366 days
  });
});

describe("Product.showroomOffer", () => {
  const OFFERS = `query($r: [_Any!]!, $s: ID!) { _entities(representations: $r) { ... on Product { showroomOffer(showroomId: $s) { displayed homeDelivery pickupStores { store { id } } } } } }`;
  const statements = async (n: number) => {
    const r = DEMO_PRODUCTS.slice(0, n).map((p) => ({ __typename: "Product", id: productId(p.sku) }));
    const before = await h.sqlStatements();
    const res = await h.q(OFFERS, { r, s: SHOWROOM });
    expect(res.errors).toBeUndefined();
    expect((res.data as any)._entities).toHaveLength(n);
    return (await h.sqlStatements()) - before;
  };

  it("costs the same statements for 5 products as for 50 (batched per showroom)", async () => {
    const five = await statements(5);
    expect(await statements(50)).toBe(five);
  });

  it("marks the showroom's display units and never offers a showroom for pickup", async () => {
    const crossBorder = DEMO_PRODUCTS.filter((p) => p.crossBorder && p.temperature === "AMBIENT").map((p) => ({ __typename: "Product", id: productId(p.sku) }));
    const res = await h.q(OFFERS, { r: crossBorder, s: SHOWROOM });
    const offers = (res.data as any)._entities.map((e: any) => e.showroomOffer);
    expect(offers.every((o: any) => o.displayed)).toBe(true);
    expect(offers.flatMap((o: any) => o.pickupStores.map((p: any) => p.store.id))).not.toContain(SHOWROOM);
  });
});
