import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT } from "../commerce.ts";
import { startPrivateDeployment, type PrivateDeployment } from "../../src/deployment/private-services.ts";
import { post, until } from "./load.ts";
import { asMember, buyAndPay, database, effectsOf, ITEM, outboxOf, STORE, streamCounts, watchHealth, type Database } from "./orders.ts";

/**
 * Fault: the payments process dies (SIGKILL: no shutdown hook, no last relay) after it committed an order and its
 * events but before it relayed them. Made deterministic without a fault flag: Redis is stopped while the order is
 * placed and paid, so every relay attempt fails and the events stay in payments' outbox; then payments is killed and
 * Redis returns. Nothing else relays payments' outbox, so the events wait for payments to come back — and then each
 * is published once and applied once by every consumer.
 */
let d: PrivateDeployment;
let db: Database;
beforeAll(async () => {
  d = await startPrivateDeployment();
  db = database(d.postgres.url);
}, 180_000);
afterAll(async () => {
  await db?.close();
  await d?.stop();
});

describe("a subgraph killed between writing an order and relaying its event", () => {
  it("delivers the event after the restart, once", async () => {
    const payments = d.subgraphs.payments[0]!;
    await db.setStock(100);
    const stockBefore = await db.stock();
    // Every process but payments (which this test kills) must answer /health throughout.
    const health = watchHealth(d, () => new Set([payments.name]));
    try {
      await d.redis.stop();
      const orderId = await buyAndPay(d, "wei", "relay-crash");
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // relay attempts (every 250 ms) fail: Redis is away
      const written = await outboxOf(db, orderId);
      expect(written.map((e) => [e.type, e.published])).toEqual([
        ["order.placed", false],
        ["payment.captured", false],
      ]);

      await payments.kill();
      await d.redis.start();
      // Redis is back, but the one process that relays payments' outbox is dead: nothing moves, nothing is consumed.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const captured = written.find((e) => e.type === "payment.captured")!.event_id;
      expect((await outboxOf(db, orderId)).filter((e) => e.published)).toEqual([]);
      expect(await effectsOf(db, orderId, captured)).toEqual({ pointsAwards: 0, committedHolds: 0, processed: { members: 0, stores: 0, logistics: 0 } });

      // Payments starts again: its relay finds the committed events and publishes them; each consumer applies them once.
      await payments.start();
      const once = { pointsAwards: 1, committedHolds: 1, processed: { members: 1, stores: 1, logistics: 1 } };
      expect(await until(async () => JSON.stringify(await effectsOf(db, orderId, captured)) === JSON.stringify(once), 20_000)).toBe(true);
      expect(await until(async () => (await outboxOf(db, orderId)).every((e) => e.published), 5_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // a second publish or redelivery, if any, would land now
      expect(await effectsOf(db, orderId, captured)).toEqual(once);
      expect(await streamCounts(d.redis.url, written.map((e) => e.event_id))).toEqual(Object.fromEntries(written.map((e) => [e.event_id, 1])));
      expect(await db.count("payments.outbox_event", "payload->>'orderId' = $1", [orderId])).toBe(2);
      expect(await db.stock()).toBe(stockBefore - 1);

      // The restarted payments knows the order: the checkout replayed with its key answers the same order, places none.
      const replay = await post(
        d.gatewayUrl,
        CHECKOUT,
        { input: { channel: "IN_STORE_SCAN", lines: [{ productId: ITEM.id, storeId: STORE, quantity: 1 }], idempotencyKey: "relay-crash" } },
        asMember(d, "wei"),
      );
      expect(replay.data?.checkout?.order?.id).toBe(orderId);
      expect(await db.count("payments.customer_order", "idempotency_key LIKE $1", ["%:relay-crash"])).toBe(1);
    } finally {
      await health.stop();
    }
    expect(health.checks()).toBeGreaterThan(3);
    expect(health.failures).toEqual([]);
    expect((await fetch(`${payments.base}/health`)).ok).toBe(true);
  }, 60_000);
});
