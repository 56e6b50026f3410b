import { readFileSync } from "node:fs";
import { signMemberToken } from "@o2o/gateway/auth";
import { demoMemberId, demoRetailerId, demoStoreId, embeddedPglite, logger, postGraphQL } from "@o2o/runtime";
import { keyAdmin } from "@o2o/stores/key-admin";
import { stepPrinter } from "./progress.ts";
import { startSupergraph } from "./supergraph.ts";

/**
 * `npm start`: the whole supergraph on this machine. No env: one embedded PGlite (in memory; set
 * PGLITE_DATA_DIR to keep data) holding a schema per subgraph. DATABASE_URL: PostgreSQL instead.
 * Migrates, seeds the demo story, starts five subgraphs and the gateway, answers one product-page
 * query to prove it works, and prints the sandbox URL.
 */
const t0 = performance.now();
const step = stepPrinter();
const embedded = !process.env.DATABASE_URL;
process.stderr.write(`O2O Supergraph — ${embedded ? "embedded mode (PGlite, in-memory cache)" : "PostgreSQL mode"}\n`);
if (!process.env.LOG_LEVEL) logger.level = "warn";
if (embedded) {
  const done = step("starting embedded PostgreSQL (PGlite)");
  await embeddedPglite();
  done();
}

const query = readFileSync(new URL("../../schema/operations/product-page.graphql", import.meta.url), "utf8");
const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
const variables = { sku: "HAN-001", near: { lat: 35.6717, lng: 139.765 }, pickupDate: tomorrow };
const token = signMemberToken(demoMemberId("aiko"), 24 * 3600);
const headers = { authorization: `Bearer ${token}` };

const supergraph = await startSupergraph({ ports: "default", seed: true, progress: step, sandbox: { query, variables, headers } });

// A throwaway in-memory database gets fresh demo keys on every start (shown here, once); a kept one gets none.
const demoKeys = embedded && !process.env.PGLITE_DATA_DIR ? await makeDemoKeys() : null;

const done = step("answering the product-page query");
const answer = await postGraphQL(supergraph.gatewayUrl, query, variables, headers);
if (answer.errors) throw new Error(`product page failed: ${JSON.stringify(answer.errors)}`);
done();
const seconds = ((performance.now() - t0) / 1000).toFixed(1);

console.log(`
Ready in ${seconds} s (cold start to first answered query).

  Sandbox (GraphiQL, works offline):  ${supergraph.gatewayUrl}
  Demo member token (Aiko, 24 h):     Bearer ${token}

Try it:
  curl -s ${supergraph.gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' \\
    -d '{"query":"{ me { displayName tier pointsBalance } products(first: 3) { edges { node { sku name price { amount currency } } } } }"}'

${
  demoKeys
    ? `  Demo API keys (this run only; shown once):
    platform admin (admin, schema:read, …):  Bearer ${demoKeys.admin}
    Meridian partner (its stores, orders, club): Bearer ${demoKeys.partner}
    Corner24 Roppongi gate (checkout-free device, that store only): Bearer ${demoKeys.gate}
`
    : `  API keys: npm run keys -- create --name <text> --scopes <scope,…> [--retailer meridian]
`
}
The sandbox opens with the product-page operation (schema/operations/product-page.graphql) and the token above.
Ctrl-C stops everything.`);

async function makeDemoKeys() {
  const admin = keyAdmin({ kind: "pglite", pglite: await embeddedPglite() }, supergraph.wiring.cache);
  const platform = await admin.create({ name: "demo platform admin", scopes: ["admin", "schema:read", "inventory:read", "inventory:write", "catalog:write", "orders:read", "members:read", "members:pii", "analytics:read", "replenishment:write"] });
  const partner = await admin.create({
    name: "demo Meridian partner",
    retailerId: demoRetailerId("meridian"),
    scopes: ["inventory:read", "inventory:write", "orders:read", "orders:write", "fulfillment:write", "payments:write", "members:read", "members:pii", "loyalty:write", "analytics:read", "visits:write"],
  });
  // A checkout-free store's gate and shelf sensors: a device key bound to one store.
  const gate = await admin.create({ name: "demo Corner24 Roppongi gate", retailerId: demoRetailerId("corner24"), storeId: demoStoreId("corner24-roppongi"), scopes: ["sensors:write", "orders:read"] });
  await admin.close();
  if (!gate.secret) throw new Error(`demo gate key: ${JSON.stringify(gate.userErrors)}`);
  return { admin: platform.secret!, partner: partner.secret!, gate: gate.secret };
}

const stop = async () => {
  await supergraph.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
