import { demoMemberId, demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, PAY, product, rowCount, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, type TestSupergraph } from "./support.ts";

// Payments through the gateway: one charge per key, one refund per key, one award per event, and a members
// consumer that was down catches up on every payment it missed — none twice.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const item = product((p) => p.sku === "HAN-005");
const STORE = "hoshi-shibuya";

async function placed(member: string, key: string): Promise<{ id: string; total: number }> {
  const res = await t.query<CheckoutAnswer>(
    CHECKOUT,
    { input: { channel: "IN_STORE_SCAN", lines: [{ productId: item.id, storeId: demoStoreId(STORE), quantity: 1 }], idempotencyKey: key } },
    t.as(member),
  );
  expect(res.errors ?? res.data?.checkout.userErrors).toEqual([]);
  const order = res.data!.checkout.order!;
  return { id: order.id, total: order.total.amount };
}

const pay = (member: string, orderId: string, amount: number, key: string) =>
  t.query<PayAnswer>(PAY, { input: { orderId, tenders: [{ method: "CARD", amount, cardToken: "tok_visa" }], idempotencyKey: key } }, t.as(member));

const purchases = (orderIds: string[]) => rowCount(t, "members.points_ledger_entry", "reason = 'PURCHASE' AND order_id = ANY($1::uuid[])", [orderIds]);

describe("payments", () => {
  beforeAll(() => setStock(t, STORE, item.id, 500));

  it("charges once for one key sent 20 times at once; every answer is identical", async () => {
    const order = await placed("aiko", "charge-once");
    const answers = await Promise.all(Array.from({ length: 20 }, () => pay("aiko", order.id, order.total, "pay-key-1")));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(answers[0]!.data!.payOrder.order!.status).toBe("COMPLETED");
    expect(await rowCount(t, "payments.payment", "order_id = $1", [order.id])).toBe(1);
    expect(await rowCount(t, "payments.processor_charge", "amount = $1", [order.total])).toBe(1);
    // A second key cannot pay a paid order again.
    expect((await pay("aiko", order.id, order.total, "pay-key-2")).data!.payOrder.userErrors[0]?.code).toBe("ORDER_NOT_PAYABLE");
    await eventually(() => purchases([order.id]), (n) => n === 1);
  }, 60_000);

  it("refunds once for one key sent 20 times: money back, points earned taken back, stock returned", async () => {
    const order = await placed("wei", "refund-once");
    await pay("wei", order.id, order.total, "refund-once-pay");
    await eventually(() => purchases([order.id]), (n) => n === 1);
    const stockBefore = await stockOf(t, STORE, item.id);
    const REFUND = `mutation($id: ID!) { refundOrder(input: { orderId: $id, idempotencyKey: "refund-key-1" }) { order { status payments { status } } userErrors { code } } }`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.query(REFUND, { id: order.id }, t.as("wei"))));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(answers[0]!.data).toEqual({ refundOrder: { order: { status: "REFUNDED", payments: [{ status: "REFUNDED" }] }, userErrors: [] } });
    expect(await rowCount(t, "payments.processor_charge", "status = 'REFUNDED' AND amount = $1", [order.total])).toBe(1);
    await eventually(() => rowCount(t, "members.points_ledger_entry", "reason = 'REFUND_REVERSAL' AND order_id = $1", [order.id]), (n) => n === 1);
    await eventually(() => stockOf(t, STORE, item.id), (n) => n === stockBefore + 1);
  }, 60_000);

  it("awards one adjustment for one key sent 20 times", async () => {
    const ADJUST = `mutation { adjustPoints(input: { memberId: "${demoMemberId("minh")}", points: 250, note: "Goodwill", idempotencyKey: "adjust-1" }) { entry { id points } userErrors { code } } }`;
    const staff = (await t.key(["loyalty:write"])).headers;
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.query(ADJUST, {}, staff)));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(await rowCount(t, "members.points_ledger_entry", "reason = 'ADJUSTMENT' AND member_id = $1 AND points = 250", [demoMemberId("minh")])).toBe(1);
  }, 60_000);

  it("a members consumer that was down catches up on 50 captured payments, awarding each once", async () => {
    const consumer = t.supergraph.subgraphs.members.workers.consumer!;
    await consumer.stop();
    const orders: string[] = [];
    for (let i = 0; i < 50; i++) {
      const order = await placed("sofia", `catch-up-${i}`);
      const res = await pay("sofia", order.id, order.total, `catch-up-pay-${i}`);
      expect(res.data!.payOrder.userErrors).toEqual([]);
      orders.push(order.id);
    }
    // Give the relay time to publish every event: none may be applied while the consumer is down.
    await eventually(() => rowCount(t, "payments.outbox_event", "type = 'payment.captured' AND published_at IS NULL"), (n) => n === 0);
    expect(await purchases(orders)).toBe(0);
    consumer.start();
    await eventually(() => purchases(orders), (n) => n === 50, 30_000);
    const twice = await t.sql(`SELECT order_id FROM members.points_ledger_entry WHERE reason = 'PURCHASE' AND order_id = ANY($1::uuid[]) GROUP BY order_id HAVING count(*) > 1`, [orders]);
    expect(twice).toEqual([]);
  }, 120_000);
});
