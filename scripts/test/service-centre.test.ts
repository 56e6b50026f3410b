import { demoMemberId, demoStoreId, seedId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAY, rowCount, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Service centres through the gateway over HTTP: the catalogue with rates per store, booking a drop-off slot,
// the status path (with at-your-door legs and a requote the member must accept), and paying through payments.

/** Keys of a big tier: these tests make many rich calls in a row (throttling is tested elsewhere). */
const BIG = { tier: "ENTERPRISE" } as const;
let t: TestSupergraph;
let counter: Record<string, string>;
let reader: Record<string, string>;
beforeAll(async () => {
  t = await startTestSupergraph();
  counter = (await t.key(["services:write"], "carehub", BIG)).headers;
  reader = (await t.key(["orders:read"], "carehub", BIG)).headers;
}, 120_000);
afterAll(() => t?.stop());

const CAREHUB = demoStoreId("carehub-marunouchi");
const HOME = { recipient: "Aiko Tanaka", line1: "2-5-8 Konan", city: "Minato-ku", postalCode: "108-0075", country: "JP" };
const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const ORDER_FIELDS = `id status description atYourDoor paymentState
  service { code } store { id } member { id }
  servicePrice { amount currency } doorFee { amount } total { amount currency }
  quote { price { amount } reason status decidedAt }
  paymentOrder { id status }
  slot { id capacity capacityLeft }
  legs { kind status address { line1 } events { status note } }
  events { status note }`;
const PAYLOAD = `serviceOrder { ${ORDER_FIELDS} } userErrors { code message field }`;

type UserError = { code: string; message: string; field: string[] | null };
type ServiceOrder = {
  id: string;
  status: string;
  paymentState: string;
  total: { amount: number; currency: string };
  servicePrice: { amount: number };
  doorFee: { amount: number } | null;
  quote: { price: { amount: number }; reason: string; status: string; decidedAt: string | null } | null;
  paymentOrder: { id: string; status: string } | null;
  legs: { kind: string; status: string; events: { status: string; note: string | null }[] }[];
  events: { status: string; note: string | null }[];
  [k: string]: unknown;
};
type Payload = { serviceOrder: ServiceOrder | null; userErrors: UserError[] };

const BOOK = `mutation($input: BookServiceInput!) { bookService(input: $input) { ${PAYLOAD} } }`;
const step = (name: string) => `mutation($id: ID!) { ${name}(serviceOrderId: $id) { ${PAYLOAD} } }`;
const RECEIVE = step("receiveServiceItem");
const START = step("startServiceWork");
const READY = step("markServiceReady");
const COLLECT = step("collectServiceOrder");
const ACCEPT = step("acceptServiceQuote");
const DECLINE = step("declineServiceQuote");
const REQUOTE = `mutation($id: ID!, $price: Int!, $reason: String!) { requoteServiceOrder(serviceOrderId: $id, price: $price, reason: $reason) { ${PAYLOAD} } }`;
const DISPATCH = `mutation($id: ID!, $leg: ServiceLegKind!) { dispatchServiceLeg(serviceOrderId: $id, leg: $leg) { ${PAYLOAD} } }`;
const COMPLETE = `mutation($id: ID!, $leg: ServiceLegKind!) { completeServiceLeg(serviceOrderId: $id, leg: $leg) { ${PAYLOAD} } }`;
const CHECKOUT_SERVICE = `mutation($input: CheckoutServiceOrderInput!) {
  checkoutServiceOrder(input: $input) { order { id status channel total { amount currency } payBy attributedStore { id } lines { product { id } description quantity unitPrice { amount } store { id } } } userErrors { code message field } }
}`;
const VIEW = `query($id: ID!) { serviceOrder(id: $id) { ${ORDER_FIELDS} } }`;

/** Runs a mutation and returns its payload (the only root field); fails on GraphQL errors. */
async function run(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Payload> {
  const res = await t.query<Record<string, Payload>>(query, variables, headers);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data!)[0]!;
}
const codes = (p: { userErrors: UserError[] }) => p.userErrors.map((e) => e.code);

async function slots(date: string, storeId = CAREHUB): Promise<{ id: string; startsAt: string; capacity: number; capacityLeft: number }[]> {
  const res = await t.query<{ store: { serviceSlots: { id: string; startsAt: string; capacity: number; capacityLeft: number }[] } }>(
    `query($id: ID!, $date: Date!) { store(id: $id) { serviceSlots(date: $date) { id startsAt capacity capacityLeft } } }`,
    { id: storeId, date },
  );
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data!.store.serviceSlots;
}

let slotIndex = 0;
/** A distinct drop-off slot tomorrow for each booking of this file (7 slots × 4 places). */
const nextSlot = async () => (await slots(tomorrowInTokyo()))[slotIndex++ % 7]!.id;

async function book(member: string, input: Record<string, unknown>): Promise<ServiceOrder> {
  const p = await run(BOOK, { input: { storeId: CAREHUB, description: "Brown oxfords, worn heels", idempotencyKey: `book-${Math.random()}`, slotId: await nextSlot(), ...input } }, t.as(member));
  expect(p.userErrors).toEqual([]);
  return p.serviceOrder!;
}

const view = async (id: string, headers: Record<string, string>) => (await t.query<{ serviceOrder: ServiceOrder | null }>(VIEW, { id }, headers)).data?.serviceOrder ?? null;
const serviceOrders = () => rowCount(t, "logistics.service_order");
const paymentsOrders = () => rowCount(t, "payments.customer_order");

async function checkoutAndPay(member: string, serviceOrderId: string, amount: number): Promise<string> {
  const res = await t.query<{ checkoutServiceOrder: { order: { id: string } | null; userErrors: UserError[] } }>(CHECKOUT_SERVICE, { input: { serviceOrderId, idempotencyKey: `pay-${serviceOrderId}` } }, t.as(member));
  expect(res.data!.checkoutServiceOrder.userErrors).toEqual([]);
  const orderId = res.data!.checkoutServiceOrder.order!.id;
  const paid = await t.query<PayAnswer>(PAY, { input: { orderId, tenders: [{ method: "CARD", amount, cardToken: "tok_visa" }], idempotencyKey: `pay-${orderId}` } }, t.as(member));
  expect(paid.data!.payOrder.userErrors).toEqual([]);
  await eventually(() => view(serviceOrderId, t.as(member)), (o) => o?.paymentState === "PAID");
  return orderId;
}

describe("catalogue", () => {
  it("lists the service centre's rates and drop-off slots; a store without services has none", async () => {
    const res = await t.query<{ carehub: any; hoshi: any }>(
      `query($c: ID!, $h: ID!, $date: Date!) {
        carehub: store(id: $c) { services { service { code name category turnaroundDays } price { amount currency } atYourDoor doorFee { amount currency } } serviceSlots(date: $date) { id capacity capacityLeft } }
        hoshi: store(id: $h) { services { service { code } } serviceSlots(date: $date) { id } }
      }`,
      { c: CAREHUB, h: demoStoreId("hoshi-ginza"), date: tomorrowInTokyo() },
    );
    expect(res.errors).toBeUndefined();
    const services = res.data!.carehub.services;
    expect(services).toHaveLength(10);
    expect(new Set(services.map((s: any) => s.service.category))).toEqual(new Set(["REPAIR", "DRY_CLEANING", "SHOE_CARE", "JEWELLERY_CARE", "ALTERATION"]));
    expect(services.find((s: any) => s.service.code === "SHOE_RESOLE")).toEqual({
      service: { code: "SHOE_RESOLE", name: "Shoe resole", category: "SHOE_CARE", turnaroundDays: 7 },
      price: { amount: 6600, currency: "JPY" },
      atYourDoor: true,
      doorFee: { amount: 880, currency: "JPY" },
    });
    expect(services.find((s: any) => s.service.code === "SHOE_SHINE")).toMatchObject({ atYourDoor: false, doorFee: null });
    // Counter hours 12–19 in hourly slots, 4 service bookings each.
    expect(res.data!.carehub.serviceSlots).toHaveLength(7);
    expect(res.data!.carehub.serviceSlots[0]).toMatchObject({ capacity: 4 });
    expect(res.data!.hoshi).toEqual({ services: [], serviceSlots: [] });
    const tooFar = await t.query(`query($id: ID!, $date: Date!) { store(id: $id) { serviceSlots(date: $date) { id } } }`, { id: CAREHUB, date: dayAfter(tomorrowInTokyo(), 40) });
    expect(tooFar.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("the whole status path", () => {
  it("at your door with a requote the member accepts: pickup leg, work, payment, return leg, DELIVERED", async () => {
    const slotId = await nextSlot();
    const input = { storeId: CAREHUB, serviceCode: "SHOE_RESOLE", slotId, description: "Brown oxfords, worn heels", atYourDoor: HOME, idempotencyKey: "resole-1" };
    const booked = await run(BOOK, { input }, t.as("aiko"));
    expect(booked.userErrors).toEqual([]);
    const o = booked.serviceOrder!;
    expect(o).toMatchObject({
      status: "BOOKED",
      atYourDoor: true,
      paymentState: "UNPAID",
      member: { id: demoMemberId("aiko") },
      store: { id: CAREHUB },
      service: { code: "SHOE_RESOLE" },
      servicePrice: { amount: 6600, currency: "JPY" },
      doorFee: { amount: 880 },
      total: { amount: 7480, currency: "JPY" },
      quote: null,
      slot: { id: slotId },
      legs: [{ kind: "PICKUP", status: "SCHEDULED", address: { line1: HOME.line1 }, events: [{ status: "SCHEDULED" }] }],
    });
    // Replays of the booking answer the same order; nothing new is written.
    const before = await serviceOrders();
    const replays = await Promise.all([run(BOOK, { input }, t.as("aiko")), run(BOOK, { input }, t.as("aiko"))]);
    expect(replays.map((r) => r.serviceOrder?.id)).toEqual([o.id, o.id]);
    expect(await serviceOrders()).toBe(before);

    // The item is only received once the pickup leg reached the centre.
    expect(codes(await run(RECEIVE, { id: o.id }, counter))).toEqual(["PICKUP_NOT_COMPLETED"]);
    expect(codes(await run(COMPLETE, { id: o.id, leg: "PICKUP" }, counter))).toEqual(["INVALID_TRANSITION"]);
    expect((await run(DISPATCH, { id: o.id, leg: "PICKUP" }, counter)).serviceOrder!.legs[0]!.status).toBe("IN_TRANSIT");
    expect(codes(await run(DISPATCH, { id: o.id, leg: "PICKUP" }, counter))).toEqual([]);
    expect((await run(COMPLETE, { id: o.id, leg: "PICKUP" }, counter)).serviceOrder!.legs[0]!.status).toBe("COMPLETED");
    expect((await run(RECEIVE, { id: o.id }, counter)).serviceOrder!.status).toBe("RECEIVED");
    // Replaying a transition is a no-op answer (no second event).
    expect(await run(RECEIVE, { id: o.id }, counter)).toMatchObject({ serviceOrder: { status: "RECEIVED" }, userErrors: [] });

    // A requote blocks the work until the member accepts it.
    const quoted = await run(REQUOTE, { id: o.id, price: 8800, reason: "The heel blocks need replacing too" }, counter);
    expect(quoted.serviceOrder!.quote).toEqual({ price: { amount: 8800 }, reason: "The heel blocks need replacing too", status: "PENDING", decidedAt: null });
    expect(codes(await run(REQUOTE, { id: o.id, price: 8800, reason: "The heel blocks need replacing too" }, counter))).toEqual([]);
    expect(await run(START, { id: o.id }, counter)).toMatchObject({ serviceOrder: { status: "RECEIVED" }, userErrors: [{ code: "QUOTE_NOT_ACCEPTED" }] });
    expect(codes(await run(ACCEPT, { id: o.id }, t.as("wei")))).toEqual(["NOT_FOUND"]);
    const accepted = await run(ACCEPT, { id: o.id }, t.as("aiko"));
    expect(accepted.serviceOrder).toMatchObject({ quote: { status: "ACCEPTED" }, servicePrice: { amount: 8800 }, total: { amount: 9680 } });
    expect(codes(await run(ACCEPT, { id: o.id }, t.as("aiko")))).toEqual([]);
    expect(codes(await run(DECLINE, { id: o.id }, t.as("aiko")))).toEqual(["QUOTE_ALREADY_ACCEPTED"]);

    expect((await run(START, { id: o.id }, counter)).serviceOrder!.status).toBe("IN_PROGRESS");
    expect(codes(await run(REQUOTE, { id: o.id, price: 9900, reason: "More" }, counter))).toEqual(["INVALID_TRANSITION"]);
    const ready = await run(READY, { id: o.id }, counter);
    expect(ready.serviceOrder).toMatchObject({ status: "READY", legs: [{ kind: "PICKUP", status: "COMPLETED" }, { kind: "RETURN", status: "SCHEDULED" }] });
    // Not paid: it does not leave the centre; a door booking is never collected at the counter.
    expect(codes(await run(DISPATCH, { id: o.id, leg: "RETURN" }, counter))).toEqual(["NOT_PAID"]);
    expect(codes(await run(COLLECT, { id: o.id }, counter))).toEqual(["DOOR_RETURN_BOOKED"]);

    // Paid through payments: one SERVICE order at the accepted price plus the door fee.
    const checkout = { serviceOrderId: o.id, idempotencyKey: "pay-resole-1" };
    const [c1, c2] = await Promise.all([t.query(CHECKOUT_SERVICE, { input: checkout }, t.as("aiko")), t.query(CHECKOUT_SERVICE, { input: checkout }, t.as("aiko"))]);
    expect(c1.data).toEqual(c2.data);
    const order = (c1.data as any).checkoutServiceOrder.order;
    expect(order).toMatchObject({
      status: "PENDING_PAYMENT",
      channel: "SERVICE",
      total: { amount: 9680, currency: "JPY" },
      payBy: null,
      attributedStore: { id: CAREHUB },
      lines: [{ product: null, description: "Shoe resole: Brown oxfords, worn heels (at your door)", quantity: 1, unitPrice: { amount: 9680 }, store: { id: CAREHUB } }],
    });
    expect(codes((await t.query<any>(CHECKOUT_SERVICE, { input: { ...checkout, idempotencyKey: "pay-resole-2" } }, t.as("aiko"))).data!.checkoutServiceOrder)).toEqual(["ALREADY_CHECKED_OUT"]);
    expect(await rowCount(t, "payments.customer_order", "id = $1 AND channel = 'SERVICE'", [order.id])).toBe(1);
    expect((await view(o.id, t.as("aiko")))!.paymentState).toBe("CHECKED_OUT");

    const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: 9680, cardToken: "tok_visa" }], idempotencyKey: "pay-resole" } }, t.as("aiko"));
    expect(paid.data!.payOrder).toMatchObject({ order: { status: "PAID" }, userErrors: [] });
    await eventually(() => view(o.id, t.as("aiko")), (v) => v?.paymentState === "PAID");
    // payment.captured: points awarded (1 per 100 JPY), no stock reservation to commit.
    await eventually(() => rowCount(t, "members.points_ledger_entry", "order_id = $1 AND reason = 'PURCHASE' AND points = 96", [order.id]), (n) => n === 1);
    expect(await rowCount(t, "stores.stock_reservation", "order_id = $1", [order.id])).toBe(0);
    expect(codes((await t.query<any>(CHECKOUT_SERVICE, { input: { ...checkout, idempotencyKey: "pay-resole-3" } }, t.as("aiko"))).data!.checkoutServiceOrder)).toEqual(["ALREADY_PAID"]);

    expect((await run(DISPATCH, { id: o.id, leg: "RETURN" }, counter)).serviceOrder!.legs[1]!.status).toBe("IN_TRANSIT");
    const delivered = await run(COMPLETE, { id: o.id, leg: "RETURN" }, counter);
    expect(delivered.serviceOrder).toMatchObject({ status: "DELIVERED", legs: [{ status: "COMPLETED" }, { status: "COMPLETED" }] });
    expect(await run(COMPLETE, { id: o.id, leg: "RETURN" }, counter)).toMatchObject({ serviceOrder: { status: "DELIVERED" }, userErrors: [] });
    // service.completed: the payments order is complete.
    await eventually(() => view(o.id, t.as("aiko")), (v) => v?.paymentOrder?.status === "COMPLETED");

    const final = (await view(o.id, t.as("aiko")))!;
    expect(final.events.map((e) => e.status)).toEqual(["BOOKED", "RECEIVED", "RECEIVED", "RECEIVED", "IN_PROGRESS", "READY", "DELIVERED"]);
    expect(final.events[2]!.note).toContain("Requoted: 8800 JPY");
    expect(final.events[3]!.note).toBe("Quote of 8800 JPY accepted");
    expect(final.legs.map((l) => [l.kind, l.events.map((e) => e.status)])).toEqual([
      ["PICKUP", ["SCHEDULED", "IN_TRANSIT", "COMPLETED"]],
      ["RETURN", ["SCHEDULED", "IN_TRANSIT", "COMPLETED"]],
    ]);

    // The member tracks it in their list, newest first, paged.
    const listed = await t.query<any>(`{ me { serviceOrders(first: 5) { edges { cursor node { id status paymentState } } pageInfo { hasNextPage endCursor } } } }`, {}, t.as("aiko"));
    expect(listed.errors).toBeUndefined();
    expect(listed.data.me.serviceOrders.edges.map((e: any) => e.node.id)).toContain(o.id);
  });

  it("a counter booking is collected once paid; collecting again is a no-op", async () => {
    const o = await book("minh", { serviceCode: "WATCH_BATTERY", description: "Steel diver's watch" });
    expect(o.legs).toEqual([]);
    expect(o.total).toEqual({ amount: 1320, currency: "JPY" });
    expect(codes(await run(DISPATCH, { id: o.id, leg: "PICKUP" }, counter))).toEqual(["LEG_NOT_SCHEDULED"]);
    expect(codes(await run(START, { id: o.id }, counter))).toEqual(["INVALID_TRANSITION"]);
    expect((await run(START, { id: o.id }, counter)).userErrors[0]!.message).toContain("BOOKED");
    await run(RECEIVE, { id: o.id }, counter);
    // Before work starts the price is not final: nothing to check out yet.
    const early = await t.query<any>(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: "early" } }, t.as("minh"));
    expect(codes(early.data.checkoutServiceOrder)).toEqual(["PRICE_NOT_FINAL"]);
    await run(START, { id: o.id }, counter);
    await run(READY, { id: o.id }, counter);
    expect(await run(COLLECT, { id: o.id }, counter)).toMatchObject({ serviceOrder: { status: "READY" }, userErrors: [{ code: "NOT_PAID" }] });
    const orderId = await checkoutAndPay("minh", o.id, 1320);
    expect((await run(COLLECT, { id: o.id }, counter)).serviceOrder!.status).toBe("COLLECTED");
    expect(await run(COLLECT, { id: o.id }, counter)).toMatchObject({ serviceOrder: { status: "COLLECTED" }, userErrors: [] });
    expect(codes(await run(READY, { id: o.id }, counter))).toEqual(["INVALID_TRANSITION"]);
    await eventually(() => rowCount(t, "payments.customer_order", "id = $1 AND status = 'COMPLETED'", [orderId]), (n) => n === 1);
    expect((await view(o.id, t.as("minh")))!.events.map((e) => e.status)).toEqual(["BOOKED", "RECEIVED", "IN_PROGRESS", "READY", "COLLECTED"]);
  });
});

describe("requotes", () => {
  it("a requote not accepted blocks the work; declined, the order is CANCELLED and goes back unrepaired at your door, nothing charged", async () => {
    const o = await book("aiko", { serviceCode: "BAG_REPAIR", description: "Tote bag, torn handle", atYourDoor: HOME });
    await run(DISPATCH, { id: o.id, leg: "PICKUP" }, counter);
    await run(COMPLETE, { id: o.id, leg: "PICKUP" }, counter);
    await run(RECEIVE, { id: o.id }, counter);
    expect(codes(await run(DECLINE, { id: o.id }, t.as("aiko")))).toEqual(["NO_PENDING_QUOTE"]);
    await run(REQUOTE, { id: o.id, price: 15400, reason: "The lining must be replaced" }, counter);
    // A changed quote replaces the pending one.
    const changed = await run(REQUOTE, { id: o.id, price: 14300, reason: "The lining must be replaced" }, counter);
    expect(changed.serviceOrder!.quote).toMatchObject({ price: { amount: 14300 }, status: "PENDING" });
    for (let i = 0; i < 3; i++) expect(codes(await run(START, { id: o.id }, counter))).toEqual(["QUOTE_NOT_ACCEPTED"]);
    expect((await view(o.id, reader))!.status).toBe("RECEIVED");
    expect(await rowCount(t, "logistics.service_order_event", "service_order_id = $1 AND status = 'IN_PROGRESS'", [o.id])).toBe(0);

    const declined = await run(DECLINE, { id: o.id }, t.as("aiko"));
    expect(declined.serviceOrder).toMatchObject({ status: "CANCELLED", quote: { status: "DECLINED" }, servicePrice: { amount: 9900 }, paymentState: "UNPAID" });
    expect(declined.serviceOrder!.legs.map((l) => [l.kind, l.status])).toEqual([["PICKUP", "COMPLETED"], ["RETURN", "SCHEDULED"]]);
    expect(codes(await run(DECLINE, { id: o.id }, t.as("aiko")))).toEqual([]);
    expect(codes(await run(ACCEPT, { id: o.id }, t.as("aiko")))).toEqual(["NO_PENDING_QUOTE"]);
    const refused = await run(START, { id: o.id }, counter);
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION", message: expect.stringContaining("CANCELLED") })]);
    const checkout = await t.query<any>(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: "declined" } }, t.as("aiko"));
    expect(codes(checkout.data.checkoutServiceOrder)).toEqual(["SERVICE_ORDER_NOT_PAYABLE"]);
    // The unrepaired item goes back to the door without payment.
    await run(DISPATCH, { id: o.id, leg: "RETURN" }, counter);
    const back = await run(COMPLETE, { id: o.id, leg: "RETURN" }, counter);
    expect(back.serviceOrder).toMatchObject({ status: "CANCELLED", legs: [{ status: "COMPLETED" }, { status: "COMPLETED" }] });
  });
});

describe("access", () => {
  it("counter work needs a services:write key of the centre's retailer; members track only their own", async () => {
    const o = await book("sofia", { serviceCode: "SUIT_DRY_CLEAN", description: "Navy suit" });
    const otherRetailer = (await t.key(["services:write", "orders:read"], "meridian", BIG)).headers;
    const platform = (await t.key(["services:write"], null, BIG)).headers;
    const noScope = reader;
    expect(codes(await run(RECEIVE, { id: o.id }, otherRetailer))).toEqual(["NOT_FOUND"]);
    expect(codes(await run(RECEIVE, { id: seedId("nothing", "x") }, counter))).toEqual(["NOT_FOUND"]);
    expect(codes(await run(RECEIVE, { id: "not-a-uuid" }, counter))).toEqual(["NOT_FOUND"]);
    expect((await t.query(RECEIVE, { id: o.id }, t.as("sofia"))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await t.query(RECEIVE, { id: o.id }, noScope)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await t.query(RECEIVE, { id: o.id })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await view(o.id, reader))!.status).toBe("BOOKED");
    expect((await run(RECEIVE, { id: o.id }, platform)).serviceOrder!.status).toBe("RECEIVED");
    // Members: FORBIDDEN for counter work, NOT_FOUND on another member's quote.
    expect((await t.query(BOOK, { input: { storeId: CAREHUB, serviceCode: "SHOE_SHINE", slotId: await nextSlot(), description: "x", idempotencyKey: "k" } }, counter)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Reads: the member and the centre's keys; another member or retailer sees null.
    expect(await view(o.id, t.as("sofia"))).toMatchObject({ id: o.id });
    expect(await view(o.id, reader)).toMatchObject({ id: o.id });
    expect((await t.query(VIEW, { id: o.id }, counter)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await view(o.id, t.as("aiko"))).toBeNull();
    expect(await view(o.id, otherRetailer)).toBeNull();
    expect((await t.query(VIEW, { id: "nope" }, t.as("sofia"))).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const list = await t.query(`query($id: ID!) { member(id: $id) { serviceOrders { edges { node { id } } } } }`, { id: demoMemberId("sofia") }, (await t.key(["members:read", "orders:read"], null, BIG)).headers);
    expect(list.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("bad input", () => {
  it("bookService refuses with stable codes and writes nothing", async () => {
    const tomorrow = tomorrowInTokyo();
    const slotId = await nextSlot();
    const base = { storeId: CAREHUB, serviceCode: "SHOE_RESOLE", slotId, description: "Boots", idempotencyKey: "bad" };
    // A slot of yesterday (ids are stable hashes of store and start).
    const yesterday = dayAfter(tomorrow, -2);
    const pastSlot = seedId("slot", `${CAREHUB}@${new Date(`${yesterday}T12:00:00+09:00`).toISOString()}`);
    const before = await serviceOrders();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ storeId: "nope" }, ["UNKNOWN_STORE"]],
      [{ storeId: seedId("store", "nowhere") }, ["UNKNOWN_STORE"]],
      [{ serviceCode: "TIME_TRAVEL" }, ["SERVICE_NOT_OFFERED"]],
      [{ storeId: demoStoreId("hoshi-ginza") }, ["SERVICE_NOT_OFFERED"]],
      [{ slotId: "nope" }, ["SLOT_UNKNOWN"]],
      [{ slotId: seedId("slot", "nothing") }, ["SLOT_UNKNOWN"]],
      [{ slotId: pastSlot }, ["SLOT_IN_PAST"]],
      [{ serviceCode: "SHOE_SHINE", atYourDoor: HOME }, ["DOOR_SERVICE_NOT_OFFERED"]],
      [{ atYourDoor: { ...HOME, line1: " " } }, ["ADDRESS_REQUIRED"]],
      [{ description: "  " }, ["INVALID_DESCRIPTION"]],
      [{ description: "x".repeat(501) }, ["INVALID_DESCRIPTION"]],
      [{ idempotencyKey: "" }, ["INVALID_IDEMPOTENCY_KEY"]],
    ];
    for (const [i, [change, expected]] of cases.entries()) {
      const p = await run(BOOK, { input: { ...base, idempotencyKey: `bad-${i}`, ...change } }, t.as("wei"));
      expect([change, codes(p), p.serviceOrder]).toEqual([change, expected, null]);
    }
    expect(await serviceOrders()).toBe(before);

    // A full slot: four bookings fill it, the fifth is refused.
    const day = dayAfter(tomorrow, 1);
    const full = (await slots(day))[0]!;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => run(BOOK, { input: { ...base, slotId: full.id, idempotencyKey: `full-${i}` } }, t.as("wei"))));
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(4);
    expect(results.filter((r) => codes(r)[0] === "SLOT_FULL")).toHaveLength(2);
    expect((await slots(day))[0]).toMatchObject({ id: full.id, capacityLeft: 0 });
    expect(await serviceOrders()).toBe(before + 4);
  });

  it("the counter's and the member's mutations refuse bad input without writing", async () => {
    const o = await book("wei", { serviceCode: "RING_RESIZE", description: "Gold ring, size 12 to 10" });
    await run(RECEIVE, { id: o.id }, counter);
    const events = () => rowCount(t, "logistics.service_order_event", "service_order_id = $1", [o.id]);
    const n = await events();
    expect(codes(await run(REQUOTE, { id: o.id, price: -1, reason: "x" }, counter))).toEqual(["INVALID_PRICE"]);
    expect(codes(await run(REQUOTE, { id: o.id, price: 6600, reason: "  " }, counter))).toEqual(["REASON_REQUIRED"]);
    expect(codes(await run(REQUOTE, { id: "nope", price: 6600, reason: "x" }, counter))).toEqual(["NOT_FOUND"]);
    expect(codes(await run(ACCEPT, { id: "nope" }, t.as("wei")))).toEqual(["NOT_FOUND"]);
    expect(codes(await run(ACCEPT, { id: o.id }, t.as("wei")))).toEqual(["NO_PENDING_QUOTE"]);
    expect(codes(await run(DISPATCH, { id: o.id, leg: "RETURN" }, counter))).toEqual(["LEG_NOT_SCHEDULED"]);
    expect(codes(await run(COMPLETE, { id: o.id, leg: "PICKUP" }, counter))).toEqual(["LEG_NOT_SCHEDULED"]);
    expect(codes(await run(COLLECT, { id: o.id }, counter))).toEqual(["INVALID_TRANSITION"]);
    expect((await t.query(ACCEPT, { id: o.id }, counter)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await events()).toBe(n);
    expect((await view(o.id, reader))!).toMatchObject({ status: "RECEIVED", quote: null });
  });

  it("checkoutServiceOrder refuses with stable codes and places no order", async () => {
    const o = await book("wei", { serviceCode: "JEWELLERY_CLEAN", description: "Pearl necklace" });
    const before = await paymentsOrders();
    const attempt = async (input: Record<string, unknown>, member = "wei") =>
      codes((await t.query<any>(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: `co-${Math.random()}`, ...input } }, t.as(member))).data.checkoutServiceOrder);
    expect(await attempt({ serviceOrderId: "nope" })).toEqual(["SERVICE_ORDER_NOT_FOUND"]);
    expect(await attempt({ serviceOrderId: seedId("nothing", "y") })).toEqual(["SERVICE_ORDER_NOT_FOUND"]);
    expect(await attempt({}, "aiko")).toEqual(["SERVICE_ORDER_NOT_FOUND"]);
    expect(await attempt({ idempotencyKey: "" })).toEqual(["INVALID_IDEMPOTENCY_KEY"]);
    expect(await attempt({})).toEqual(["PRICE_NOT_FINAL"]);
    expect((await t.query(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: "k" } }, (await t.key(["orders:write"], null, BIG)).headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // The product checkout does not take the SERVICE channel.
    const product = await t.query<any>(
      `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } userErrors { code } } }`,
      { input: { lines: [{ productId: seedId("product", "x"), quantity: 1, storeId: CAREHUB }], channel: "SERVICE", idempotencyKey: "svc-channel" } },
      t.as("wei"),
    );
    expect(codes(product.data.checkout)).toContain("INVALID_CHANNEL");
    expect(await paymentsOrders()).toBe(before);
    expect((await view(o.id, t.as("wei")))!.paymentState).toBe("UNPAID");
  });

  it("a cancelled service checkout frees the service order to be checked out again", async () => {
    const o = await book("minh", { serviceCode: "TROUSER_HEM", description: "Grey trousers, 2 cm" });
    await run(RECEIVE, { id: o.id }, counter);
    await run(START, { id: o.id }, counter);
    const first = await t.query<any>(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: "hem-1" } }, t.as("minh"));
    const orderId = first.data.checkoutServiceOrder.order.id;
    const cancelled = await t.query<any>(`mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { order { status } userErrors { code } } }`, { input: { orderId } }, t.as("minh"));
    expect(cancelled.data.cancelOrder).toEqual({ order: { status: "CANCELLED" }, userErrors: [] });
    await eventually(() => view(o.id, t.as("minh")), (v) => v?.paymentState === "UNPAID" && v.paymentOrder === null);
    const second = await t.query<any>(CHECKOUT_SERVICE, { input: { serviceOrderId: o.id, idempotencyKey: "hem-2" } }, t.as("minh"));
    expect(second.data.checkoutServiceOrder.userErrors).toEqual([]);
    expect(second.data.checkoutServiceOrder.order.id).not.toBe(orderId);
  });
});
