import { readMetric } from "@o2o/runtime";
import { keyAdmin } from "@o2o/stores/key-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateDeployment, type PrivateDeployment } from "../../src/deployment/private-services.ts";
import { post, PRODUCT_PAGE, tomorrowInTokyo, until, type Answer } from "./load.ts";
import { buyAndPay, database, effectsOf, outboxOf, streamCounts, watchHealth, type Database } from "./orders.ts";

/**
 * Fault: Redis stops while the deployment runs, then comes back empty (a cache-only Redis after a crash). Meanwhile
 * reads go on with the read cache bypassed, rate limits still hold (each gateway process limits from its own memory
 * bucket), and a checkout still succeeds with its events kept in the outbox. Once Redis is back the relays publish
 * those events and every consumer applies each exactly once. No process crashes at any point.
 */
let d: PrivateDeployment;
let db: Database;
let freeKey: Record<string, string>;
beforeAll(async () => {
  d = await startPrivateDeployment();
  db = database(d.postgres.url);
  const keys = keyAdmin({ kind: "postgres", url: d.postgres.url });
  const made = await keys.create({ name: "redis-down FREE key", scopes: ["orders:read"], retailerId: null, tier: "FREE" });
  await keys.close();
  freeKey = { authorization: `Bearer ${made.secret!}` };
}, 180_000);
afterAll(async () => {
  await db?.close();
  await d?.stop();
});

const metric = async (name: string, labels: Record<string, string> = {}) => readMetric(await (await fetch(`${d.gateways[0]!.base}/metrics`)).text(), name, labels);
/** A page of 40 products: costs enough that a FREE bucket (500 points) runs dry within a few requests. */
const LISTING = `{ products(first: 40) { edges { node { sku brand { name } } } } }`;

/** The whole product page: products' name, stores' availability and logistics' slots, no error. */
function wholePage(reply: Answer): boolean {
  const product = reply.data?.product as { name?: string; availability?: { store: { pickupSlots: unknown } }[] } | undefined;
  return reply.status === 200 && reply.errors.length === 0 && product?.name === "Sakura Lip Tint" && !!product.availability?.length && product.availability.every((a) => Array.isArray(a.store.pickupSlots));
}

describe("Redis stopped", () => {
  it("keeps reads, rate limits and checkouts working, and delivers the held events once when Redis returns", async () => {
    const date = tomorrowInTokyo();
    await db.setStock(100);
    // Warm the read cache: with Redis up, the second page is a response-cache hit.
    expect(wholePage(await post(d.gatewayUrl, PRODUCT_PAGE, { d: date }))).toBe(true);
    expect(wholePage(await post(d.gatewayUrl, PRODUCT_PAGE, { d: date }))).toBe(true);
    expect(await metric("o2o_cache_lookups_total", { layer: "response", outcome: "hit" })).toBeGreaterThan(0);

    const health = watchHealth(d);
    try {
      await d.redis.stop();

      // Reads: whole answers, every one fetched from the subgraphs (cache bypassed: no hit, a products fetch each).
      const hits = await metric("o2o_cache_lookups_total", { layer: "response", outcome: "hit" });
      const fetches = await metric("o2o_subgraph_fetches_total", { subgraph: "products", outcome: "ok" });
      for (let i = 0; i < 10; i++) expect(wholePage(await post(d.gatewayUrl, PRODUCT_PAGE, { d: date }))).toBe(true);
      expect(await metric("o2o_cache_lookups_total", { layer: "response", outcome: "hit" })).toBe(hits);
      expect(await metric("o2o_subgraph_fetches_total", { subgraph: "products", outcome: "ok" })).toBeGreaterThanOrEqual(fetches + 10);

      // Rate limits: a FREE key (looked up without the credentials cache) is still throttled, by the fallback bucket.
      const started = Date.now();
      let spent = 0;
      let throttled: Answer | undefined;
      let retryAfter: string | null = null;
      for (let i = 0; i < 30 && !throttled; i++) {
        const res = await fetch(d.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...freeKey }, body: JSON.stringify({ query: LISTING }) });
        const reply = (await res.json()) as Answer;
        if (reply.errors?.[0]?.extensions?.code === "THROTTLED") [throttled, retryAfter] = [{ ...reply, status: res.status }, res.headers.get("retry-after")];
        else {
          expect(reply.errors ?? []).toEqual([]);
          const cost = reply.extensions.cost as { actualQueryCost: number; throttleStatus: { maximumAvailable: number } | null };
          expect(cost.throttleStatus?.maximumAvailable).toBe(500); // a real bucket answered, not "unthrottled"
          spent += cost.actualQueryCost;
        }
      }
      expect(throttled?.status).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(spent).toBeLessThanOrEqual(500 + ((Date.now() - started) / 1000) * 25);
      expect(await metric("o2o_rate_limit_fallback_total")).toBeGreaterThan(0);

      // A checkout and its payment succeed; their events wait in the payments outbox, nothing is consumed yet.
      const stockBefore = await db.stock();
      const orderId = await buyAndPay(d, "aiko", "while-redis-down");
      expect(await db.stock()).toBe(stockBefore - 1);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // several relay polls (every 250 ms), all failing
      const held = await outboxOf(db, orderId);
      expect(held.map((e) => e.type)).toEqual(["order.placed", "payment.captured"]);
      expect(held.filter((e) => e.published)).toEqual([]);
      const captured = held.find((e) => e.type === "payment.captured")!.event_id;
      expect(await effectsOf(db, orderId, captured)).toEqual({ pointsAwards: 0, committedHolds: 0, processed: { members: 0, stores: 0, logistics: 0 } });

      // Redis returns (empty): the relay publishes, each consumer applies the payment exactly once.
      await d.redis.start();
      const once = { pointsAwards: 1, committedHolds: 1, processed: { members: 1, stores: 1, logistics: 1 } };
      expect(await until(async () => JSON.stringify(await effectsOf(db, orderId, captured)) === JSON.stringify(once), 20_000)).toBe(true);
      expect(await until(async () => (await outboxOf(db, orderId)).every((e) => e.published), 5_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // a redelivery, if any, would land now
      expect(await effectsOf(db, orderId, captured)).toEqual(once);
      expect(await streamCounts(d.redis.url, held.map((e) => e.event_id))).toEqual(Object.fromEntries(held.map((e) => [e.event_id, 1])));
      expect(await db.stock()).toBe(stockBefore - 1);

      // And the shared bucket is back: requests stop falling back to the memory bucket.
      expect(
        await until(async () => {
          const before = await metric("o2o_rate_limit_fallback_total");
          await post(d.gatewayUrl, PRODUCT_PAGE, { d: date });
          return (await metric("o2o_rate_limit_fallback_total")) === before;
        }, 10_000),
      ).toBe(true);
    } finally {
      await health.stop();
    }
    // No process died or stopped answering /health at any point.
    expect(health.checks()).toBeGreaterThan(3);
    expect(health.failures).toEqual([]);
  }, 60_000);
});
