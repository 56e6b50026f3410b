import { randomUUID } from "node:crypto";
import { demoMemberId, envelope, localWiring, withSqlTransaction } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogisticsSubgraph } from "../src/server.ts";
import { SLOTS, store, storeReps, tokyoDate } from "./support.ts";

// holdFulfillment (payments, at checkout) and what follows: payment activates the hold with a pickup code,
// staff mark it ready and hand it over against the code; deliveries are dispatched and delivered.
const wiring = localWiring();
let h: TestSubgraph;
beforeAll(async () => {
  h = await startTestSubgraph((target) => createLogisticsSubgraph(target, wiring));
});
afterAll(() => h?.stop());

const PAYMENTS = { service: "payments" };
const STAFF = { scopes: ["store:operate"] };
const AIKO = demoMemberId("aiko");
const HOLD = `mutation($i: FulfillmentHoldInput!) { holdFulfillment(input: $i) { ok code message fulfillmentId } }`;
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
const count = async (orderId: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM logistics.fulfillment WHERE order_id = $1`, [orderId]))[0]!.n;

async function slots(storeKey: string, offset = 1): Promise<{ id: string; capacityLeft: number; capacity: number }[]> {
  const res = await h.q(SLOTS, { r: storeReps([store(storeKey)]), date: tokyoDate(offset) });
  return (res.data!._entities as { pickupSlots: { id: string; capacityLeft: number; capacity: number }[] }[])[0]!.pickupSlots;
}

const ginza = { storeFormat: "FLAGSHIP", storeCapabilities: ["TAX_FREE", "PICKUP", "HOME_DELIVERY"] };
const hold = (extra: Record<string, unknown>) => ({
  orderId: randomUUID(),
  memberId: AIKO,
  type: "STORE_PICKUP",
  storeId: store("hoshi-ginza"),
  temperatureClasses: ["AMBIENT"],
  taxFree: false,
  ...ginza,
  ...extra,
});
const holdOf = async (input: Record<string, unknown>) => {
  const res = await h.q<{ holdFulfillment: { ok: boolean; code: string | null; fulfillmentId: string | null } }>(HOLD, { i: input }, PAYMENTS);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.holdFulfillment;
};

describe("holdFulfillment", () => {
  it("holds a slot, once per order", async () => {
    const [slot] = await slots("hoshi-ginza");
    const input = hold({ slotId: slot!.id });
    const first = await holdOf(input);
    expect(first).toMatchObject({ ok: true, code: null });
    expect(await holdOf(input)).toEqual(first);
    expect(await count(input.orderId)).toBe(1);
    expect((await slots("hoshi-ginza"))[0]!.capacityLeft).toBe(slot!.capacityLeft - 1);
  });

  it("fills a slot with exactly its capacity under concurrent holds", async () => {
    const slot = (await slots("hoshi-ueno", 2))[0]!;
    const answers = await Promise.all(Array.from({ length: slot.capacityLeft + 6 }, () => holdOf(hold({ storeId: store("hoshi-ueno"), slotId: slot.id }))));
    expect(answers.filter((a) => a.ok)).toHaveLength(slot.capacityLeft);
    expect(answers.filter((a) => a.code === "SLOT_FULL")).toHaveLength(6);
    expect((await slots("hoshi-ueno", 2))[0]!.capacityLeft).toBe(0);
  });

  it("refuses bad choices with a code and writes nothing", async () => {
    const [slot] = await slots("hoshi-ginza");
    const [kanda] = await slots("corner24-kanda");
    const cases: [Record<string, unknown>, string][] = [
      [hold({ slotId: null }), "SLOT_REQUIRED"],
      [hold({ slotId: randomUUID() }), "SLOT_UNKNOWN"],
      [hold({ slotId: (await slots("hoshi-asakusa"))[0]!.id }), "SLOT_UNKNOWN"],
      [hold({ type: "CONVENIENCE_PICKUP", slotId: slot!.id }), "PICKUP_NOT_OFFERED"],
      [hold({ type: "CONVENIENCE_PICKUP", storeId: store("corner24-kanda"), storeFormat: "CONVENIENCE", storeCapabilities: ["PICKUP", "CHILLED_STORAGE"], temperatureClasses: ["AMBIENT", "FROZEN"], slotId: kanda!.id }), "STORAGE_UNAVAILABLE"],
      [hold({ type: "HOME_DELIVERY", slotId: null }), "ADDRESS_REQUIRED"],
    ];
    for (const [input, code] of cases) {
      expect((await holdOf(input)).code).toBe(code);
      expect(await count(input.orderId as string)).toBe(0);
    }
  });

  it("answers only the payments service", async () => {
    const res = await h.q(HOLD, { i: hold({ slotId: randomUUID() }) }, { memberId: AIKO });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

const FULFILLMENT = `query($id: ID!) { fulfillment(id: $id) { status pickupCode trackingEvents { status } } }`;
const READY = `mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`;
const HAND_OVER = `mutation($i: HandOverFulfillmentInput!) { handOverFulfillment(input: $i) { fulfillment { status } userErrors { code } } }`;

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}
const statusOf = async (id: string) => (await sql<{ status: string }>(`SELECT status::text FROM logistics.fulfillment WHERE id = $1`, [id]))[0]!.status;
const codeOf = async (orderId: string) => {
  const res = await h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { fulfillment { pickupCode } } } }`, { r: [{ __typename: "Order", id: orderId }] }, { memberId: AIKO });
  return (res.data!._entities as { fulfillment: { pickupCode: string | null } }[])[0]!.fulfillment.pickupCode;
};

describe("after payment", () => {
  it("pickup: paid → code for the member only → ready → wrong code refused → handed over; events once", async () => {
    const [slot] = await slots("hoshi-ginza", 3);
    const input = hold({ slotId: slot!.id });
    const { fulfillmentId } = await holdOf(input);
    const captured = envelope("payments", "payment.captured", { orderId: input.orderId });
    await wiring.bus.publish([captured, captured]);
    await until(async () => (await statusOf(fulfillmentId!)) === "PENDING");
    const code = await codeOf(input.orderId);
    expect(code).toMatch(/^\d{6}$/);
    // Staff see the fulfilment but never the code.
    expect((await h.q(FULFILLMENT, { id: fulfillmentId }, STAFF)).data).toEqual({ fulfillment: { status: "PENDING", pickupCode: null, trackingEvents: [{ status: "AWAITING_PAYMENT" }, { status: "PENDING" }] } });
    expect((await h.q(FULFILLMENT, { id: fulfillmentId }, { memberId: AIKO })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: code } }, STAFF)).data!.handOverFulfillment.userErrors).toEqual([{ code: "INVALID_STATE" }]);
    expect((await h.q(READY, { id: fulfillmentId }, STAFF)).data!.markFulfillmentReady).toEqual({ fulfillment: { status: "READY_FOR_PICKUP" }, userErrors: [] });
    const wrong = code === "000000" ? "111111" : "000000";
    expect((await h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: wrong } }, STAFF)).data!.handOverFulfillment.userErrors).toEqual([{ code: "WRONG_PICKUP_CODE" }]);
    expect((await h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: code } }, STAFF)).data!.handOverFulfillment).toEqual({ fulfillment: { status: "PICKED_UP" }, userErrors: [] });
    const events = await sql<{ type: string }>(`SELECT type FROM logistics.outbox_event WHERE payload->>'orderId' = $1 ORDER BY id`, [input.orderId]);
    expect(events.map((e) => e.type)).toEqual(["fulfillment.ready", "fulfillment.completed"]);
  });

  it("locks the handover after five wrong codes", async () => {
    const [slot] = await slots("hoshi-ginza", 4);
    const input = hold({ slotId: slot!.id });
    const { fulfillmentId } = await holdOf(input);
    await wiring.bus.publish([envelope("payments", "payment.captured", { orderId: input.orderId })]);
    await until(async () => (await statusOf(fulfillmentId!)) === "PENDING");
    await h.q(READY, { id: fulfillmentId }, STAFF);
    const code = (await codeOf(input.orderId))!;
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: wrong } }, STAFF);
    expect((await h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: code } }, STAFF)).data!.handOverFulfillment.userErrors).toEqual([{ code: "PICKUP_LOCKED" }]);
  });

  it("delivery: paid → dispatched → delivered; a cancelled order frees its slot", async () => {
    const address = { recipient: "Aiko", line1: "1-1", city: "Tokyo", postalCode: "100-0001", country: "JP" };
    const input = hold({ type: "HOME_DELIVERY", slotId: null, address });
    const { fulfillmentId } = await holdOf(input);
    await wiring.bus.publish([envelope("payments", "payment.captured", { orderId: input.orderId })]);
    await until(async () => (await statusOf(fulfillmentId!)) === "PENDING");
    expect((await h.q(READY, { id: fulfillmentId }, STAFF)).data!.markFulfillmentReady.userErrors).toEqual([{ code: "INVALID_STATE" }]);
    await h.q(`mutation($id: ID!) { dispatchDelivery(fulfillmentId: $id, note: "Van 2") { userErrors { code } } }`, { id: fulfillmentId }, STAFF);
    const done = await h.q(`mutation($id: ID!) { confirmDelivery(fulfillmentId: $id) { fulfillment { status trackingEvents { status } } userErrors { code } } }`, { id: fulfillmentId }, STAFF);
    expect(done.data!.confirmDelivery.fulfillment).toEqual({ status: "DELIVERED", trackingEvents: [{ status: "AWAITING_PAYMENT" }, { status: "PENDING" }, { status: "OUT_FOR_DELIVERY" }, { status: "DELIVERED" }] });

    const [slot] = await slots("hoshi-ginza", 5);
    const pickup = hold({ slotId: slot!.id });
    const held = await holdOf(pickup);
    expect((await slots("hoshi-ginza", 5))[0]!.capacityLeft).toBe(slot!.capacityLeft - 1);
    await wiring.bus.publish([envelope("payments", "order.cancelled", { orderId: pickup.orderId })]);
    await until(async () => (await statusOf(held.fulfillmentId!)) === "CANCELLED");
    expect((await slots("hoshi-ginza", 5))[0]!.capacityLeft).toBe(slot!.capacityLeft);
  });

  it("staff operations need store:operate", async () => {
    expect((await h.q(READY, { id: randomUUID() }, { memberId: AIKO })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(READY, { id: randomUUID() }, STAFF)).data!.markFulfillmentReady.userErrors).toEqual([{ code: "NOT_FOUND" }]);
  });
});
