import { randomUUID } from "node:crypto";
import { envelope, localWiring, withSqlTransaction } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPaymentsSubgraph } from "../src/server.ts";
import { AIKO } from "./support.ts";

// Payments' consumer: an expired stock hold cancels its unpaid order; a completed fulfilment completes a paid
// one. Each event is applied once, however often it is delivered.
const wiring = localWiring();
let h: TestSubgraph;
beforeAll(async () => {
  h = await startTestSubgraph((target) => createPaymentsSubgraph(target, wiring));
});
afterAll(() => h?.stop());

const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));

async function order(status: string): Promise<string> {
  const id = randomUUID();
  await sql(
    `INSERT INTO payments.customer_order (id, number, member_id, channel, status, currency, subtotal_amount, total_amount, placed_at, pay_by)
     VALUES ($1, $2, $3, 'APP', $4::payments."OrderStatus", 'JPY', 1000, 1000, now(), now() + interval '15 minutes')`,
    [id, `T-${id.slice(0, 8)}`, AIKO, status],
  );
  return id;
}

const statusOf = async (id: string) => (await sql<{ status: string }>(`SELECT status::text FROM payments.customer_order WHERE id = $1`, [id]))[0]!.status;
const cancelledEvents = async (id: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM payments.outbox_event WHERE type = 'order.cancelled' AND payload->>'orderId' = $1`, [id]))[0]!.n;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}

describe("payments consumer", () => {
  it("cancels an unpaid order whose stock hold expired, once, and announces it", async () => {
    const id = await order("PENDING_PAYMENT");
    const expired = envelope("stores", "stock.released", { orderId: id, reason: "EXPIRED" });
    await wiring.bus.publish([expired, expired]);
    await until(async () => (await statusOf(id)) === "CANCELLED");
    await new Promise((r) => setTimeout(r, 300));
    expect(await cancelledEvents(id)).toBe(1);
  });

  it("leaves a paid order alone when its hold is released for another reason or it was paid", async () => {
    const paid = await order("PAID");
    const pending = await order("PENDING_PAYMENT");
    await wiring.bus.publish([envelope("stores", "stock.released", { orderId: paid, reason: "EXPIRED" }), envelope("stores", "stock.released", { orderId: pending, reason: "CANCELLED" })]);
    const marker = await order("PENDING_PAYMENT");
    await wiring.bus.publish([envelope("stores", "stock.released", { orderId: marker, reason: "EXPIRED" })]);
    await until(async () => (await statusOf(marker)) === "CANCELLED");
    expect(await statusOf(paid)).toBe("PAID");
    expect(await statusOf(pending)).toBe("PENDING_PAYMENT");
  });

  it("completes a paid order when its fulfilment is handed over", async () => {
    const id = await order("PAID");
    await wiring.bus.publish([envelope("logistics", "fulfillment.completed", { orderId: id, status: "PICKED_UP" })]);
    await until(async () => (await statusOf(id)) === "COMPLETED");
  });
});
