import { randomUUID } from "node:crypto";
import { demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, PAY, product, rowCount, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Authorise at checkout, capture at handover (pay on pickup): the order is prepared on the authorisation, the
// money and the points move only when it is handed over; cancelling an authorised order voids every tender.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const item = product((p) => p.sku === "HAN-006");
const ORDER = `query($id: ID!) { order(id: $id) { status payments { method status capturedAt } fulfillment { id status pickupCode } } }`;
type Order = { status: string; payments: { method: string; status: string; capturedAt: string | null }[]; fulfillment: { id: string; status: string; pickupCode: string | null } | null };
const read = async (member: string, id: string) => (await t.query<{ order: Order }>(ORDER, { id }, t.as(member))).data!.order;
const purchases = (orderId: string) => rowCount(t, "members.points_ledger_entry", "reason = 'PURCHASE' AND order_id = $1", [orderId]);

async function authorised(member: string, tenders: (total: number) => Record<string, unknown>[]): Promise<{ id: string; total: number }> {
  const slotId = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
  const placed = await t.query<CheckoutAnswer>(
    CHECKOUT,
    { input: { channel: "APP", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId }, idempotencyKey: randomUUID() } },
    t.as(member),
  );
  const order = placed.data!.checkout.order!;
  const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, capture: false, tenders: tenders(order.total.amount), idempotencyKey: randomUUID() } }, t.as(member));
  expect(paid.data!.payOrder.userErrors).toEqual([]);
  expect(paid.data!.payOrder.order!.status).toBe("AUTHORIZED");
  return { id: order.id, total: order.total.amount };
}

describe("authorise now, capture at handover", () => {
  beforeAll(() => setStock(t, "hoshi-ginza", item.id, 20));

  it("prepares the order on the authorisation and captures it when it is handed over", async () => {
    const order = await authorised("aiko", (total) => [{ method: "CARD", amount: total, cardToken: "tok_visa" }]);
    const prepared = await eventually(() => read("aiko", order.id), (o) => o.fulfillment?.status === "PENDING");
    expect(prepared.payments).toEqual([{ method: "CARD", status: "AUTHORIZED", capturedAt: null }]);
    expect(await rowCount(t, "payments.processor_charge", "status = 'AUTHORIZED' AND amount = $1", [order.total])).toBe(1);
    expect(await purchases(order.id)).toBe(0);

    const staff = (await t.key(["orders:write", "fulfillment:write"])).headers;
    await t.query(`mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { userErrors { code } } }`, { id: prepared.fulfillment!.id }, staff);
    await t.query(`mutation($i: HandOverFulfillmentInput!) { handOverFulfillment(input: $i) { userErrors { code } } }`, { i: { fulfillmentId: prepared.fulfillment!.id, pickupCode: prepared.fulfillment!.pickupCode } }, staff);
    const done = await eventually(() => read("aiko", order.id), (o) => o.status === "COMPLETED");
    expect(done.payments[0]).toMatchObject({ status: "CAPTURED", capturedAt: expect.any(String) });
    await eventually(() => purchases(order.id), (n) => n === 1);
  }, 60_000);

  it("capturePayment takes the money of an authorised order once", async () => {
    const order = await authorised("wei", (total) => [{ method: "CARD", amount: total, cardToken: "tok_mastercard" }]);
    const CAPTURE = `mutation($id: ID!) { capturePayment(input: { orderId: $id, idempotencyKey: "cap-1" }) { order { status } userErrors { code } } }`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.query(CAPTURE, { id: order.id }, t.as("wei"))));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(answers[0]!.data).toEqual({ capturePayment: { order: { status: "PAID" }, userErrors: [] } });
    const again = await t.query(`mutation($id: ID!) { capturePayment(input: { orderId: $id, idempotencyKey: "cap-2" }) { userErrors { code } } }`, { id: order.id }, t.as("wei"));
    expect(again.data).toEqual({ capturePayment: { userErrors: [{ code: "ORDER_NOT_CAPTURABLE" }] } });
    await eventually(() => purchases(order.id), (n) => n === 1);
  }, 60_000);

  it("cancelling an authorised order voids the card, returns wallet money, points and stock", async () => {
    const WALLET = `{ me { pointsBalance wallet { balance { amount } } } }`;
    const before = (await t.query<{ me: { pointsBalance: number; wallet: { balance: { amount: number } } } }>(WALLET, {}, t.as("aiko"))).data!.me;
    const stockBefore = await stockOf(t, "hoshi-ginza", item.id);
    const order = await authorised("aiko", (total) => [
      { method: "POINTS", amount: 200 },
      { method: "WALLET", amount: 300 },
      { method: "CARD", amount: total - 500, cardToken: "tok_visa" },
    ]);
    await eventually(() => read("aiko", order.id), (o) => o.fulfillment?.status === "PENDING");
    const res = await t.query(`mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { order { status payments { status } } userErrors { code } } }`, { id: order.id }, t.as("aiko"));
    expect(res.data).toEqual({ cancelOrder: { order: { status: "CANCELLED", payments: [{ status: "VOIDED" }, { status: "VOIDED" }, { status: "VOIDED" }] }, userErrors: [] } });
    expect(await rowCount(t, "payments.processor_charge", "status = 'VOIDED' AND amount = $1", [order.total - 500])).toBe(1);
    await eventually(async () => (await t.query<{ me: { pointsBalance: number; wallet: { balance: { amount: number } } } }>(WALLET, {}, t.as("aiko"))).data!.me, (me) => me.pointsBalance === before.pointsBalance && me.wallet.balance.amount === before.wallet.balance.amount);
    await eventually(() => stockOf(t, "hoshi-ginza", item.id), (n) => n === stockBefore);
    await eventually(() => read("aiko", order.id), (o) => o.fulfillment?.status === "CANCELLED");
    expect(await purchases(order.id)).toBe(0);
  }, 60_000);
});
