import { parseArgs } from "node:util";
import { cacheFromEnv, databaseTargetFromEnv, demoRetailerId, DEMO_RETAILERS, isId, SCOPES } from "@o2o/runtime";
import { createStoresSubgraph } from "@o2o/stores";
import { keyAdmin } from "@o2o/stores/key-admin";

/**
 * `npm run keys -- <create|list|rotate|revoke> …`: API keys straight against the stores database
 * (DATABASE_URL, or PGLITE_DATA_DIR for an embedded start that keeps its data). This is how the first
 * admin key is made; afterwards the `createApiKey`/`rotateApiKey`/`revokeApiKey` mutations do the same.
 * With REDIS_URL set, revoking and rotating drop the gateways' cached credential at once. The stores schema is
 * migrated first (a no-op when it is up to date), so keys can be made before the first start.
 */
const usage = `usage:
  npm run keys -- create --name <text> --scopes <scope,…> [--retailer <id|hoshi|meridian|freshway|…>] [--tier FREE|STANDARD|PLUS|ENTERPRISE] [--safelist-only] [--expires <ISO instant>]
  npm run keys -- list [--retailer <id>]
  npm run keys -- rotate <key id>
  npm run keys -- revoke <key id>
scopes: ${Object.keys(SCOPES).join(", ")}`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    scopes: { type: "string", default: "" },
    retailer: { type: "string" },
    tier: { type: "string" },
    "safelist-only": { type: "boolean", default: false },
    expires: { type: "string" },
  },
});

const [command, id] = positionals;
if (!process.env.DATABASE_URL && !process.env.STORES_DATABASE_URL && !process.env.PGLITE_DATA_DIR) {
  console.error("keys: set DATABASE_URL (or PGLITE_DATA_DIR) to the database the supergraph uses; the in-memory embedded start prints its own demo keys.");
  process.exit(2);
}
const target = await databaseTargetFromEnv("stores");
const stores = createStoresSubgraph(target);
await stores.migrate();
await stores.close();
const cache = cacheFromEnv();
const admin = keyAdmin(target, cache);
const retailerId = (value: string | undefined) => (value === undefined ? null : isId(value) ? value : DEMO_RETAILERS.some((r) => r.key === value) ? demoRetailerId(value) : value);

const answer = await run();
await admin.close();
await cache.close();
console.log(JSON.stringify(answer, null, 2));
process.exit("userErrors" in answer && answer.userErrors.length ? 1 : 0);

async function run() {
  switch (command) {
    case "create":
      if (!values.name) return fail("give --name");
      return admin.create({
        name: values.name,
        scopes: values.scopes.split(",").filter(Boolean),
        retailerId: retailerId(values.retailer),
        tier: (values.tier as "FREE" | "STANDARD" | "PLUS" | "ENTERPRISE" | undefined) ?? null,
        safelistOnly: values["safelist-only"],
        expiresAt: values.expires ? new Date(values.expires) : null,
      });
    case "list":
      return admin.list({ first: 100, retailerId: retailerId(values.retailer) });
    case "rotate":
      return id ? admin.rotate(id) : fail("give the key id");
    case "revoke":
      return id ? admin.revoke(id) : fail("give the key id");
    default:
      return fail(`unknown command ${command ?? "(none)"}`);
  }
}

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
