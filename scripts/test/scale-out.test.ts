import { Redis } from "ioredis";
import { signMemberToken } from "@o2o/gateway/auth";
import { demoMemberId, demoProductId, demoStoreId, invalidateEntities, readMetric, redisCache, withSqlTransaction, type Cache, type DatabaseTarget } from "@o2o/runtime";
import { postGraphQL } from "@o2o/runtime/testing";
import { keyAdmin, type KeyAdmin } from "@o2o/stores/key-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestBody } from "../src/bench/operations.ts";
import { CHECKOUT, PAY, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { startPrivateDeployment, type PrivateDeployment } from "../src/deployment/private-services.ts";
import { eventually, tomorrowInTokyo } from "./support.ts";

// docker-compose.yml's scaled-out shape as plain processes: 2 replicas of every subgraph and 2 gateways (12 `node`
// processes) on one PostgreSQL and one Redis of this file's own. Gateway i reaches subgraph replica set i, so a
// request through gateway 1 is served by other processes, end to end, than one through gateway 0. Whatever state
// one side writes (rate-limit buckets, cached answers, key revocations, events) the other side must see at once.
let d: PrivateDeployment;
let target: DatabaseTarget;
let cache: Cache;
let keys: KeyAdmin;
let startSeconds: number;
beforeAll(async () => {
  const began = Date.now();
  d = await startPrivateDeployment({ subgraphReplicas: 2, gateways: 2 });
  startSeconds = (Date.now() - began) / 1000;
  target = { kind: "postgres", url: d.postgres.url };
  // The gateways' shared cache (no prefix: this Redis is the deployment's own); key admin invalidates credentials in it.
  cache = redisCache(d.redis.url);
  keys = keyAdmin(target, cache);
}, 300_000);
afterAll(async () => {
  await keys?.close();
  await cache?.close();
  await d?.stop();
});

const url = (gateway: number) => `${d.gateways[gateway]!.base}/graphql`;
const metric = async (gateway: number, name: string, labels: Record<string, string> = {}) => readMetric(await (await fetch(`${d.gateways[gateway]!.base}/metrics`)).text(), name, labels);
const sql = <R>(query: string, params: unknown[] = []) => withSqlTransaction(target, (tx) => tx.query<R>(query, params));
const member = (key: string) => ({ authorization: `Bearer ${signMemberToken(demoMemberId(key), 3600, d.secrets.memberToken)}` });
async function apiKey(scopes: string[], tier?: "FREE") {
  const made = await keys.create({ name: `scale-out ${scopes.join(" ")}`, scopes, retailerId: null, storeId: null, tier: tier ?? null });
  if (!made.apiKey || !made.secret) throw new Error(JSON.stringify(made.userErrors));
  return { id: made.apiKey.id, headers: { authorization: `Bearer ${made.secret}` } };
}

describe("scale-out: 2 gateways, 2 replicas of every subgraph, one PostgreSQL and Redis", () => {
  it("runs 12 processes", () => {
    expect(d.gateways).toHaveLength(2);
    for (const replicas of Object.values(d.subgraphs)) expect(replicas).toHaveLength(2);
    const pids = new Set([...d.gateways, ...Object.values(d.subgraphs).flat()].map((p) => p.pid()));
    expect(pids.size).toBe(12);
    console.log(`scale-out: 12 processes up in ${startSeconds.toFixed(1)} s`);
  });

  it("rate limits are shared: a FREE key drained through gateway 0 is THROTTLED through gateway 1", async () => {
    const key = await apiKey(["orders:read"], "FREE");
    const PAGE = `{ products(first: 40) { edges { node { sku brand { name } } } } }`;
    let throttledAt0 = false;
    for (let i = 0; i < 30 && !throttledAt0; i++) {
      const res = await postGraphQL(url(0), PAGE, {}, key.headers);
      throttledAt0 = res.errors?.[0]?.extensions?.code === "THROTTLED";
    }
    expect(throttledAt0).toBe(true);
    const at1 = await postGraphQL(url(1), PAGE, {}, key.headers);
    expect(at1.status).toBe(429);
    expect(at1.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    // Another key's bucket on gateway 1 is untouched: it is the caller's bucket that is shared, not a gateway-wide one.
    const other = await apiKey(["orders:read"], "FREE");
    expect((await postGraphQL(url(1), PAGE, {}, other.headers)).errors).toBeUndefined();
  }, 60_000);

  it("caches are shared: a product page read through gateway 0 is a cache hit on gateway 1", async () => {
    const variables = { sku: "HAN-004", near: { lat: 35.6717, lng: 139.765 }, pickupDate: tomorrowInTokyo() };
    const page = manifestBody("ProductPage");
    const first = await postGraphQL(url(0), page, variables);
    expect(first.errors).toBeUndefined();
    const hitsBefore = await metric(1, "o2o_cache_lookups_total", { outcome: "hit" });
    const second = await postGraphQL(url(1), page, variables);
    expect(second.data).toEqual(first.data);
    expect(await metric(1, "o2o_cache_lookups_total", { outcome: "hit" })).toBeGreaterThan(hitsBefore);
  });

  it("… and invalidated across replicas: a checkout through gateway 1 shows the new stock on gateway 0 at once", async () => {
    const productId = demoProductId("SOR-003");
    const storeId = demoStoreId("hoshi-akihabara");
    await sql(`INSERT INTO stores.stock (store_id, product_id, quantity, updated_at) VALUES ($1, $2, 20, now()) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = 20`, [storeId, productId]);
    await invalidateEntities(cache, "stores", "Product", [productId]);
    const STOCK = `query($id: ID!, $store: ID!) { product(id: $id) { inventory(storeId: $store) { quantity } } }`;
    const stock = async (gateway: number) => (await postGraphQL<{ product: { inventory: { quantity: number } } }>(url(gateway), STOCK, { id: productId, store: storeId })).data!.product.inventory.quantity;
    expect(await stock(0)).toBe(20);
    expect(await stock(0)).toBe(20); // now cached on gateway 0's side
    const hits = await metric(0, "o2o_cache_lookups_total", { outcome: "hit" });
    expect(hits).toBeGreaterThan(0);
    const input = { channel: "IN_STORE_SCAN", lines: [{ productId, storeId, quantity: 3 }], idempotencyKey: "scale-out-stock-1" };
    const placed = await postGraphQL<CheckoutAnswer>(url(1), CHECKOUT, { input }, member("minh"));
    expect(placed.data!.checkout.userErrors).toEqual([]);
    expect(await stock(0)).toBe(17);
  });

  it("key revocation: a key revoked through gateway 0 is refused by gateway 1 at once", async () => {
    const admin = await apiKey(["admin"]);
    const partner = await apiKey(["inventory:read"]);
    const PROBE = `{ retailers { name } }`;
    expect((await postGraphQL(url(1), PROBE, {}, partner.headers)).status).toBe(200); // its credential is cached now
    const revoked = await postGraphQL<{ revokeApiKey: { apiKey: { status: string } } }>(url(0), `mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { status } userErrors { code } } }`, { id: partner.id }, admin.headers);
    expect(revoked.data!.revokeApiKey.apiKey.status).toBe("REVOKED");
    const refused = await postGraphQL(url(1), PROBE, {}, partner.headers);
    expect(refused.status).toBe(401);
    expect(refused.errors![0]!.extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.errors![0]!.message).toMatch(/revoked/);
  });

  it("events: an order paid through gateway 1 is consumed once per consuming subgraph, across both replicas of each", async () => {
    const productId = demoProductId("HAN-002");
    const storeId = demoStoreId("hoshi-akihabara");
    await sql(`INSERT INTO stores.stock (store_id, product_id, quantity, updated_at) VALUES ($1, $2, 50, now()) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = 50`, [storeId, productId]);
    const as = member("sofia");
    const checkout = await postGraphQL<CheckoutAnswer>(url(1), CHECKOUT, { input: { channel: "IN_STORE_SCAN", lines: [{ productId, storeId, quantity: 2 }], idempotencyKey: "scale-out-events-1" } }, as);
    const order = checkout.data!.checkout.order!;
    const paid = await postGraphQL<PayAnswer>(url(1), PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: "scale-out-pay-1" } }, as);
    expect(paid.data!.payOrder.userErrors).toEqual([]);

    const [event] = await eventually(
      () => sql<{ event_id: string }>(`SELECT event_id FROM payments.outbox_event WHERE type = 'payment.captured' AND payload->>'orderId' = $1`, [order.id]),
      (rows) => rows.length === 1,
    );
    const consumers = ["members", "stores", "logistics"] as const;
    const processed = () => Promise.all(consumers.map(async (schema) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.processed_event WHERE event_id = $1`, [event!.event_id]))[0]!.n));
    await eventually(processed, (counts) => counts.every((n) => n >= 1));
    // Every effect exactly once: points booked once, the hold committed, the fulfilment activated once.
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a second delivery (other replica, other relay) would land by now
    expect(await processed()).toEqual([1, 1, 1]);
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM members.points_ledger_entry WHERE order_id = $1 AND points > 0`, [order.id]))[0]!.n).toBe(1);
    expect((await sql<{ status: string }>(`SELECT status::text FROM stores.stock_reservation WHERE order_id = $1`, [order.id]))[0]!.status).toBe("COMMITTED");

    // Both replicas of each consuming subgraph are members of its consumer group (named by their pids), and the group
    // has nothing pending: the two replicas shared the stream, each event went to one of them.
    const redis = new Redis(d.redis.url);
    try {
      for (const schema of consumers) {
        const rows = (await redis.call("XINFO", "CONSUMERS", "o2o:events", schema)) as unknown[][];
        const pids = new Set(rows.map((r) => Number(String(r[1]).split(":")[2])));
        expect([...pids].sort()).toEqual(d.subgraphs[schema].map((p) => p.pid()).sort());
      }
      const pending = async () => ((await redis.call("XINFO", "GROUPS", "o2o:events")) as unknown[][]).map((g) => Number(g[g.indexOf("pending") + 1]));
      await eventually(pending, (counts) => counts.every((n) => n === 0));
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
