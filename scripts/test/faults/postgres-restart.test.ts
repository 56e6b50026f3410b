import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateDeployment, type PrivateDeployment } from "../../src/deployment/private-services.ts";
import { CHECKOUT } from "../commerce.ts";
import { LEAKED, post, PRODUCT_ONLY, until, type Answer } from "./load.ts";
import { asMember, buyAndPay, database, effectsOf, ITEM, outboxOf, STORE, watchHealth, type Database } from "./orders.ts";

/**
 * Fault: PostgreSQL stops (fast shutdown: every open connection cut, as in a crash or a failover) while the
 * deployment runs, then starts again on the same address. Requests that need the database fail cleanly meanwhile
 * (SERVICE_UNAVAILABLE, reason DATABASE_UNAVAILABLE, nothing internal), no process dies, and once PostgreSQL is
 * back every request, mutations included, succeeds again with no restart and no manual step.
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

/** Member data: private, never in the shared read cache, so every request reaches members' and payments' databases. */
const ME = `{ me { displayName pointsBalance orders(first: 3) { edges { node { id status } } } } }`;
/** Internals beyond the shared list: driver and ORM names, PostgreSQL error codes. */
const INTERNALS = /prisma|\bpg\b|postgres|SQLSTATE|57P0\d|P10\d\d|Can't reach|invocation/i;

/** A clean failure: a GraphQL answer (200, or 503 when nothing could run), only SERVICE_UNAVAILABLE errors, nothing internal. */
function expectCleanFailure(reply: Answer, serviceNames: string[]) {
  expect([200, 503]).toContain(reply.status);
  expect(reply.errors.length).toBeGreaterThan(0);
  for (const error of reply.errors) {
    expect(error.extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" });
    expect(serviceNames).toContain(error.extensions!.serviceName);
    expect(error.message).toBe("This data is temporarily unavailable (its database cannot be reached); try again shortly.");
  }
  expect(reply.text).not.toMatch(LEAKED);
  expect(reply.text).not.toMatch(INTERNALS);
}

describe("PostgreSQL restarted", () => {
  it("fails requests cleanly while it is down, then serves them again by itself", async () => {
    const aiko = asMember(d, "aiko");
    await db.setStock(100);
    const before = await post(d.gatewayUrl, ME, {}, aiko);
    expect(before.errors).toEqual([]);
    const health = watchHealth(d);
    try {
      await d.postgres.stop();

      // Member reads: every one answers at once, with SERVICE_UNAVAILABLE naming the subgraph whose database is away.
      for (let i = 0; i < 5; i++) {
        const reply = await post(d.gatewayUrl, ME, {}, aiko);
        expect(reply.data).toEqual({ me: null });
        expectCleanFailure(reply, ["members"]);
      }
      // A public read never asked before (so not in the read cache) fails the same way.
      const uncached = await post(d.gatewayUrl, `{ product(sku: "HAN-004") { name brand { name } } }`);
      expectCleanFailure(uncached, ["products"]);
      // A checkout: refused cleanly, and (checked below) it wrote nothing anywhere.
      const input = { channel: "IN_STORE_SCAN", lines: [{ productId: ITEM.id, storeId: STORE, quantity: 1 }], idempotencyKey: "during-outage" };
      const checkout = await post(d.gatewayUrl, CHECKOUT, { input }, aiko);
      expect(checkout.data?.checkout ?? null).toBeNull();
      expectCleanFailure(checkout, ["payments"]);

      await d.postgres.start();
      // Back with no restart of any process: the pools reconnect on the next request.
      let attempts = 0;
      expect(await until(async () => (attempts++, (await post(d.gatewayUrl, ME, {}, aiko)).errors.length === 0), 15_000)).toBe(true);
      expect(attempts).toBeLessThan(300);
      expect((await post(d.gatewayUrl, PRODUCT_ONLY)).errors).toEqual([]);

      // The checkout refused during the outage left nothing behind; retried now with the same key, it goes through once.
      expect(await db.count("payments.customer_order", "idempotency_key LIKE $1", ["%:during-outage"])).toBe(0);
      expect(await db.stock()).toBe(100);
      const retried = await post(d.gatewayUrl, CHECKOUT, { input }, aiko);
      expect(retried.errors).toEqual([]);
      expect(retried.data!.checkout.userErrors).toEqual([]);
      expect(await db.count("payments.customer_order", "idempotency_key LIKE $1", ["%:during-outage"])).toBe(1);

      // A whole purchase after the restart: written, relayed and consumed (the relay and consumers reconnected too).
      const stockBefore = await db.stock();
      const orderId = await buyAndPay(d, "aiko", "after-restart");
      const captured = (await outboxOf(db, orderId)).find((e) => e.type === "payment.captured")!;
      expect(await until(async () => (await effectsOf(db, orderId, captured.event_id)).pointsAwards === 1, 15_000)).toBe(true);
      expect(await until(async () => (await effectsOf(db, orderId, captured.event_id)).committedHolds === 1, 15_000)).toBe(true);
      expect(await db.stock()).toBe(stockBefore - 1);
    } finally {
      await health.stop();
    }
    // No process died or stopped answering /health at any point.
    expect(health.checks()).toBeGreaterThan(3);
    expect(health.failures).toEqual([]);
    for (const p of [...d.gateways, ...Object.values(d.subgraphs).flat()]) expect(p.running()).toBe(true);
  }, 60_000);
});
