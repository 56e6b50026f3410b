import { signMemberToken } from "@o2o/gateway/auth";
import { demoMemberId, demoStoreId } from "@o2o/runtime";
import { Redis } from "ioredis";
import pg from "pg";
import { CHECKOUT, PAY, product } from "../commerce.ts";
import type { Deployment } from "../../src/deployment/deployment.ts";
import { post } from "./load.ts";

/**
 * What the Redis, PostgreSQL and relay fault tests share: an order placed and paid through the gateway, and the
 * database and stream facts that show whether its events were relayed and consumed, and how often.
 */
export const asMember = (d: Deployment, member: string): Record<string, string> => ({
  authorization: `Bearer ${signMemberToken(demoMemberId(member), undefined, d.secrets.memberToken)}`,
});

/** A product sold by scan-and-go at one store: no fulfilment, so a card payment completes the order at once. */
export const ITEM = product((p) => p.sku === "HAN-005");
export const STORE = demoStoreId("hoshi-shibuya");

/** A SQL connection to the deployment's private database (every subgraph's schema). */
export function database(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => undefined); // a test that stops PostgreSQL cuts idle connections: not a test failure
  return {
    query: async <R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> => (await pool.query(sql, params)).rows as R[],
    count: async (table: string, where = "true", params: unknown[] = []): Promise<number> => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
      return rows[0]!.n;
    },
    setStock: async (quantity: number) =>
      void (await pool.query(
        `INSERT INTO stores.stock (store_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
        [STORE, ITEM.id, quantity],
      )),
    stock: async (): Promise<number> => (await pool.query<{ q: number }>(`SELECT quantity AS q FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [STORE, ITEM.id])).rows[0]!.q,
    close: () => pool.end(),
  };
}
export type Database = ReturnType<typeof database>;

/** Checkout (one unit, scanned in store) and card payment through the gateway; throws unless both succeeded. */
export async function buyAndPay(d: Deployment, member: string, key: string): Promise<string> {
  const headers = asMember(d, member);
  const placed = await post(d.gatewayUrl, CHECKOUT, { input: { channel: "IN_STORE_SCAN", lines: [{ productId: ITEM.id, storeId: STORE, quantity: 1 }], idempotencyKey: key } }, headers);
  const order = placed.data?.checkout?.order as { id: string; total: { amount: number } } | undefined;
  if (!order || placed.errors.length || placed.data!.checkout.userErrors.length) throw new Error(`checkout failed: ${placed.text}`);
  const paid = await post(d.gatewayUrl, PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: `${key}-pay` } }, headers);
  if (paid.errors.length || paid.data?.payOrder?.order?.status !== "COMPLETED") throw new Error(`payment failed: ${paid.text}`);
  return order.id;
}

/** The order's events in the payments outbox: type, id and whether the relay has published it. */
export const outboxOf = (db: Database, orderId: string) =>
  db.query<{ type: string; event_id: string; published: boolean }>(
    `SELECT type, event_id::text, published_at IS NOT NULL AS published FROM payments.outbox_event WHERE payload->>'orderId' = $1 ORDER BY id`,
    [orderId],
  );

/** The downstream effects of one paid order, each as a count (exactly-once shows as 1). */
export async function effectsOf(db: Database, orderId: string, capturedEventId: string) {
  const processed = await db.query<{ consumer: string; n: number }>(`SELECT consumer, n FROM (
      SELECT 'members' AS consumer, count(*)::int AS n FROM members.processed_event WHERE event_id = $1
      UNION ALL SELECT 'stores', count(*)::int FROM stores.processed_event WHERE event_id = $1
      UNION ALL SELECT 'logistics', count(*)::int FROM logistics.processed_event WHERE event_id = $1) p`, [capturedEventId]);
  return {
    /** Points awarded for the purchase (members' consumer). */
    pointsAwards: await db.count("members.points_ledger_entry", "reason = 'PURCHASE' AND order_id = $1", [orderId]),
    /** The stock hold made permanent (stores' consumer). */
    committedHolds: await db.count("stores.stock_reservation", "order_id = $1 AND status = 'COMMITTED'", [orderId]),
    /** payment.captured recorded as processed, per consuming subgraph. */
    processed: Object.fromEntries(processed.map((p) => [p.consumer, p.n])) as Record<"members" | "stores" | "logistics", number>,
  };
}

/** How many times each event id was put on the Redis stream (the deployment's default stream). */
export async function streamCounts(redisUrl: string, eventIds: string[]): Promise<Record<string, number>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const entries = (await redis.xrange("o2o:events", "-", "+")) as [string, string[]][];
    const counts = Object.fromEntries(eventIds.map((id) => [id, 0]));
    for (const [, fields] of entries) {
      const event = JSON.parse(fields[fields.indexOf("event") + 1] ?? "{}") as { id?: string };
      if (event.id && event.id in counts) counts[event.id]!++;
    }
    return counts;
  } finally {
    redis.disconnect();
  }
}

/**
 * Polls /health of every process of the deployment until stopped: a process that crashed (or hung) shows up as a
 * failed check. The harness never restarts a process by itself, so a crash is never hidden.
 */
export function watchHealth(d: Deployment, skip: () => Set<string> = () => new Set()) {
  const failures: string[] = [];
  let checks = 0;
  let running = true;
  const processes = [...d.gateways, ...Object.values(d.subgraphs).flat()];
  const loop = (async () => {
    while (running) {
      const skipped = skip();
      await Promise.all(
        processes
          .filter((p) => !skipped.has(p.name))
          .map(async (p) => {
            try {
              const res = await fetch(`${p.base}/health`, { signal: AbortSignal.timeout(2_000) });
              if (!res.ok) failures.push(`${p.name}: HTTP ${res.status}`);
            } catch (err) {
              failures.push(`${p.name}: ${(err as Error).message}`);
            }
          }),
      );
      checks++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    failures,
    checks: () => checks,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
