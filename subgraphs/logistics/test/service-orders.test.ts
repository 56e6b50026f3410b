import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { DEMO_STORES, demoRetailerId, demoStoreId, envelope } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, PAYMENTS, WEI, sql, startLifecycle, until, type Lifecycle } from "./lifecycle.ts";
import { storeReps, tokyoDate } from "./support.ts";

// Service centres inside logistics: rates and drop-off slots, booking, the counter's status path, the member's
// quote decisions, payments' link and payment events. Stores is a stub answering which retailer runs a demo store.
let l: Lifecycle;
let stores: Server;
beforeAll(async () => {
  l = await startLifecycle();
  stores = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const reps = (JSON.parse(body).variables?.r ?? []) as { id: string }[];
      const entities = reps.map((r) => {
        const s = DEMO_STORES.find((d) => demoStoreId(d.key) === r.id.toLowerCase());
        return s ? { retailer: { id: demoRetailerId(s.retailer) } } : null;
      });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { _entities: entities } }));
    });
  });
  await new Promise<void>((resolve) => stores.listen(0, "127.0.0.1", resolve));
  l.wiring.peers.register("stores", `http://127.0.0.1:${(stores.address() as AddressInfo).port}/graphql`);
});
afterAll(async () => {
  await l?.stop();
  await new Promise((resolve) => stores?.close(resolve));
});

const CAREHUB = demoStoreId("carehub-marunouchi");
const COUNTER = { keyId: "carehub-counter", retailerId: demoRetailerId("carehub"), scopes: ["services:write"] };
const OTHER = { keyId: "meridian-counter", retailerId: demoRetailerId("meridian"), scopes: ["services:write"] };
const member = (memberId: string) => ({ memberId });
const PAYLOAD = `serviceOrder { id status paymentState total { amount } quote { status price { amount } } legs { kind status } events { status } } userErrors { code field }`;
const BOOK = `mutation($i: BookServiceInput!) { bookService(input: $i) { ${PAYLOAD} } }`;
const STEP = (name: string) => `mutation($id: ID!) { ${name}(serviceOrderId: $id) { ${PAYLOAD} } }`;
const LINK = `mutation($s: ID!, $m: ID!, $o: ID!) { linkServiceCharge(serviceOrderId: $s, memberId: $m, orderId: $o) { ok code amount currency storeId description orderId } }`;

type Payload = { serviceOrder: { id: string; status: string; paymentState: string; total: { amount: number }; events: { status: string }[] } | null; userErrors: { code: string }[] };
async function call(query: string, variables: Record<string, unknown>, caller: Record<string, unknown>): Promise<Payload> {
  const res = await l.h.q<Record<string, Payload>>(query, variables, caller);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data!)[0]!;
}
const codes = (p: Payload) => p.userErrors.map((e) => e.code);
const counts = async () => (await sql<{ o: number; e: number }>(l.h, `SELECT (SELECT count(*)::int FROM logistics.service_order) AS o, (SELECT count(*)::int FROM logistics.service_order_event) AS e`))[0]!;

async function slotIds(offset = 1): Promise<string[]> {
  const res = await l.h.q<{ _entities: { serviceSlots: { id: string }[] }[] }>(`query($r: [_Any!]!, $d: Date!) { _entities(representations: $r) { ... on Store { serviceSlots(date: $d) { id } } } }`, { r: storeReps([CAREHUB]), d: tokyoDate(offset) });
  return res.data!._entities[0]!.serviceSlots.map((s) => s.id);
}

async function booked(code = "SUIT_DRY_CLEAN"): Promise<string> {
  const [slot] = await slotIds(2);
  const p = await call(BOOK, { i: { storeId: CAREHUB, serviceCode: code, slotId: slot, description: "Navy suit", idempotencyKey: randomUUID() } }, member(AIKO));
  expect(p.userErrors).toEqual([]);
  return p.serviceOrder!.id;
}

describe("catalogue", () => {
  it("answers rates and slots per store in one batch; stores without rates have none", async () => {
    const res = await l.h.q<{ _entities: { services: { service: { code: string } }[]; serviceSlots: { capacity: number }[] }[] }>(
      `query($r: [_Any!]!, $d: Date!) { _entities(representations: $r) { ... on Store { services { service { code } } serviceSlots(date: $d) { capacity } } } }`,
      { r: storeReps([CAREHUB, demoStoreId("hoshi-ginza")]), d: tokyoDate(1) },
    );
    expect(res.data!._entities[0]!.services).toHaveLength(10);
    expect(res.data!._entities[0]!.serviceSlots.map((s) => s.capacity)).toEqual([4, 4, 4, 4, 4, 4, 4]);
    expect(res.data!._entities[1]).toEqual({ services: [], serviceSlots: [] });
  });
});

describe("booking and the counter", () => {
  it("books once per key, runs the counter path with a requote, and replays are no-ops", async () => {
    const [slot] = await slotIds(1);
    const i = { storeId: CAREHUB, serviceCode: "COAT_DRY_CLEAN", slotId: slot, description: "Wool coat", idempotencyKey: "coat-1" };
    const [a, b] = await Promise.all([call(BOOK, { i }, member(AIKO)), call(BOOK, { i }, member(AIKO))]);
    expect(a).toEqual(b);
    const id = a.serviceOrder!.id;
    expect(a.serviceOrder).toMatchObject({ status: "BOOKED", total: { amount: 3300 }, legs: [] });
    expect(codes(await call(STEP("receiveServiceItem"), { id }, OTHER))).toEqual(["NOT_FOUND"]);
    expect((await call(STEP("receiveServiceItem"), { id }, COUNTER)).serviceOrder!.status).toBe("RECEIVED");
    const n = await counts();
    expect(codes(await call(STEP("receiveServiceItem"), { id }, COUNTER))).toEqual([]);
    expect(await counts()).toEqual(n);
    await call(`mutation($id: ID!) { requoteServiceOrder(serviceOrderId: $id, price: 4400, reason: "Stain treatment") { ${PAYLOAD} } }`, { id }, COUNTER);
    expect(codes(await call(STEP("startServiceWork"), { id }, COUNTER))).toEqual(["QUOTE_NOT_ACCEPTED"]);
    expect(codes(await call(STEP("acceptServiceQuote"), { id }, member(WEI)))).toEqual(["NOT_FOUND"]);
    const accepted = await call(STEP("acceptServiceQuote"), { id }, member(AIKO));
    expect(accepted.serviceOrder).toMatchObject({ total: { amount: 4400 } });
    expect((await call(STEP("startServiceWork"), { id }, COUNTER)).serviceOrder!.status).toBe("IN_PROGRESS");
    expect((await call(STEP("markServiceReady"), { id }, COUNTER)).serviceOrder!.status).toBe("READY");
    expect(codes(await call(STEP("collectServiceOrder"), { id }, COUNTER))).toEqual(["NOT_PAID"]);
  });

  it("never overbooks a slot under concurrent bookings", async () => {
    const slot = (await slotIds(3))[2]!;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call(BOOK, { i: { storeId: CAREHUB, serviceCode: "SHOE_SHINE", slotId: slot, description: "Loafers", idempotencyKey: randomUUID() } }, member(WEI))),
    );
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(4);
    expect(results.filter((r) => codes(r)[0] === "SLOT_FULL")).toHaveLength(4);
  });
});

describe("paying: linkServiceCharge and payments' events", () => {
  it("links one payments order (payments only), then follows authorised, captured and refunded once each", async () => {
    const id = await booked();
    const orderId = randomUUID();
    expect((await l.h.q(LINK, { s: id, m: AIKO, o: orderId }, member(AIKO))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await l.h.q<{ linkServiceCharge: { ok: boolean; code: string } }>(LINK, { s: id, m: AIKO, o: orderId }, PAYMENTS)).data!.linkServiceCharge).toMatchObject({ ok: false, code: "PRICE_NOT_FINAL" });
    await call(STEP("receiveServiceItem"), { id }, COUNTER);
    await call(STEP("startServiceWork"), { id }, COUNTER);
    expect((await l.h.q<any>(LINK, { s: id, m: WEI, o: orderId }, PAYMENTS)).data.linkServiceCharge).toMatchObject({ ok: false, code: "SERVICE_ORDER_NOT_FOUND" });
    const linked = (await l.h.q<any>(LINK, { s: id, m: AIKO, o: orderId }, PAYMENTS)).data.linkServiceCharge;
    expect(linked).toEqual({ ok: true, code: null, amount: 2200, currency: "JPY", storeId: CAREHUB, description: "Suit dry cleaning: Navy suit", orderId });
    expect((await l.h.q<any>(LINK, { s: id, m: AIKO, o: orderId }, PAYMENTS)).data.linkServiceCharge).toEqual(linked);
    expect((await l.h.q<any>(LINK, { s: id, m: AIKO, o: randomUUID() }, PAYMENTS)).data.linkServiceCharge).toMatchObject({ ok: false, code: "ALREADY_CHECKED_OUT", orderId });

    const state = async () => (await sql<{ s: string }>(l.h, `SELECT payment_state::text AS s FROM logistics.service_order WHERE id = $1`, [id]))[0]!.s;
    const authorized = envelope("payments", "payment.authorized", { orderId, memberId: AIKO });
    const captured = envelope("payments", "payment.captured", { orderId, memberId: AIKO, currency: "JPY", amount: 2200 });
    await l.wiring.bus.publish([authorized, authorized, captured, captured]);
    await until(async () => (await state()) === "PAID", "paid");
    await call(STEP("markServiceReady"), { id }, COUNTER);
    expect((await call(STEP("collectServiceOrder"), { id }, COUNTER)).serviceOrder!.status).toBe("COLLECTED");
    await until(async () => l.relayed.some((e) => e.type === "service.completed" && e.payload.serviceOrderId === id), "service.completed relayed");
    expect(l.relayed.filter((e) => e.type === "service.completed" && e.payload.serviceOrderId === id).map((e) => e.payload)).toEqual([
      { orderId, serviceOrderId: id, memberId: AIKO, storeId: CAREHUB, status: "COLLECTED" },
    ]);
    await l.wiring.bus.publish([envelope("payments", "order.refunded", { orderId, memberId: AIKO })]);
    await until(async () => (await state()) === "REFUNDED", "refunded");
  });

  it("drops the link when the payments order is cancelled, so the member can check out again", async () => {
    const id = await booked("TROUSER_HEM");
    await call(STEP("receiveServiceItem"), { id }, COUNTER);
    await call(STEP("startServiceWork"), { id }, COUNTER);
    const orderId = randomUUID();
    expect((await l.h.q<any>(LINK, { s: id, m: AIKO, o: orderId }, PAYMENTS)).data.linkServiceCharge.ok).toBe(true);
    await l.wiring.bus.publish([envelope("payments", "order.cancelled", { orderId, memberId: AIKO, reason: "CHECKOUT_FAILED" })]);
    const row = async () => (await sql<{ s: string; o: string | null }>(l.h, `SELECT payment_state::text AS s, payment_order_id::text AS o FROM logistics.service_order WHERE id = $1`, [id]))[0]!;
    await until(async () => (await row()).s === "UNPAID", "unlinked");
    expect((await row()).o).toBeNull();
    expect((await l.h.q<any>(LINK, { s: id, m: AIKO, o: randomUUID() }, PAYMENTS)).data.linkServiceCharge.ok).toBe(true);
  });
});
