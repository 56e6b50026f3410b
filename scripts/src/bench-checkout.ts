import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { signMemberToken } from "@o2o/gateway/auth";
import { DEMO_MEMBERS, DEMO_PRODUCTS, demoMemberId, demoProductId, demoStoreId, logger, withSqlTransaction } from "@o2o/runtime";
import { createTestDatabase } from "@o2o/runtime/testing";
import { startSupergraph } from "./supergraph.ts";

/**
 * `npm run bench:checkout [-- --connections 32 --duration 20]`: checkouts per second through the gateway.
 * Every request places a real order (unique idempotency key, one of the four demo members) for one product
 * in one store, so every order passes the oversell guard on the same stock row — the worst case for it.
 * With DATABASE_URL it runs on a throwaway PostgreSQL database (and REDIS_URL's event bus); else on PGlite.
 * Afterwards it checks that stock went down by exactly the number of orders placed. The four members get the
 * ENTERPRISE rate-limit tier (500 cost points/s each), so the bench measures the system, not the throttle.
 */
const { values } = parseArgs({
  options: { connections: { type: "string", default: "32" }, duration: { type: "string", default: "20" }, products: { type: "string", default: "1" } },
});
logger.level = "warn";

const db = await createTestDatabase();
const supergraph = await startSupergraph({ target: db.target, ports: "any", seed: true, gateway: { memberTier: "ENTERPRISE" } });
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(db.target, (tx) => tx.query<R>(q, p));

// --products 1 (default): every order wants the same stock row, the worst case for the oversell guard.
const productIds = DEMO_PRODUCTS.slice(0, Number(values.products)).map((p) => demoProductId(p.sku));
const storeId = demoStoreId("hoshi-ginza");
const STOCK = 10_000_000;
for (const productId of productIds) {
  await sql(`INSERT INTO stores.stock (store_id, product_id, quantity) VALUES ($1, $2, $3) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`, [storeId, productId, STOCK]);
}

const countOrders = async () =>
  ((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM payments.order_line WHERE product_id = ANY($1::uuid[]) AND store_id = $2`, [productIds, storeId]))[0] as { n: number }).n;
const ordersBefore = await countOrders();
const tokens = DEMO_MEMBERS.map((m) => `Bearer ${signMemberToken(demoMemberId(m.key), 3600)}`);
const query = `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } userErrors { code } } }`;
let n = 0;
let placed = 0;
let refused = 0;
const mode = `${db.target.kind === "postgres" ? "PostgreSQL" : "PGlite"} + ${supergraph.wiring.bus.kind} bus`;
process.stderr.write(`checkout benchmark on ${mode}: ${values.connections} connections for ${values.duration} s…\n`);

const result = await autocannon({
  url: supergraph.gatewayUrl,
  connections: Number(values.connections),
  duration: Number(values.duration),
  requests: [
    {
      method: "POST",
      setupRequest: (req) => {
        const i = n++;
        return {
          ...req,
          headers: { "content-type": "application/json", authorization: tokens[i % tokens.length]! },
          body: JSON.stringify({ query, variables: { input: { channel: "IN_STORE_SCAN", lines: [{ productId: productIds[i % productIds.length], storeId, quantity: 1 }], idempotencyKey: randomUUID() } } }),
        };
      },
      onResponse: (status, body) => {
        if (status === 200 && body.includes('"order":{"id"')) placed++;
        else refused++;
      },
    },
  ],
});

// Let requests still in flight when the clock ran out finish before counting and shutting down.
await new Promise((resolve) => setTimeout(resolve, 3000));
const [{ quantity }] = (await sql<{ quantity: number }>(`SELECT sum(quantity)::int AS quantity FROM stores.stock WHERE store_id = $1 AND product_id = ANY($2::uuid[])`, [storeId, productIds])) as [{ quantity: number }];
const orders = (await countOrders()) - ordersBefore;
console.log(
  [
    `checkout benchmark (${mode}, ${values.connections} connections, ${values.duration} s, ${productIds.length} product(s) in one store)`,
    `  orders placed:      ${placed} (${(placed / result.duration).toFixed(1)} orders/s)`,
    `  refused or failed:  ${refused}`,
    `  latency:            p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    `  stock taken:        ${STOCK * productIds.length - quantity} (orders in the database: ${orders}) ${STOCK * productIds.length - quantity === orders ? "— consistent" : "— MISMATCH"}`,
  ].join("\n"),
);
await supergraph.stop();
await db.drop();
process.exit(STOCK * productIds.length - quantity === orders && refused === 0 ? 0 : 1);
