import { apiKeyCacheKey, hashApiKey, withSqlTransaction, API_KEY_PATTERN } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retailerId, startStores, type Harness } from "./support.ts";

// Key administration as the owning subgraph sees it: the gateway has already checked `admin`; this checks again.
let h: Harness;
beforeAll(async () => void (h = await startStores()));
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
afterAll(() => h?.stop());

const ADMIN = { keyId: "platform-admin", scopes: ["admin"] };
const GATEWAY = { service: "gateway" };
const PAYLOAD = `apiKey { id name prefix scopes tier safelistOnly status expiresAt retailer { id } } secret userErrors { code field }`;
const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ${PAYLOAD} } }`;
const ROTATE = `mutation($id: ID!) { rotateApiKey(id: $id) { ${PAYLOAD} } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { ${PAYLOAD} } }`;
const CREDENTIAL = `query($h: String!) { apiKeyCredential(secretHash: $h) { id prefix retailerId scopes tier safelistOnly revoked } }`;

async function create(input: Record<string, unknown>) {
  const res = await h.q(CREATE, { i: { name: "Ginza tablets", scopes: ["inventory:read"], ...input } }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data!.createApiKey;
}

describe("API keys", () => {
  it("shows the secret once and stores only its hash", async () => {
    const made = await create({ retailerId: retailerId("meridian"), scopes: ["orders:read", "inventory:read"], tier: "PLUS" });
    expect(made.userErrors).toEqual([]);
    expect(made.secret).toMatch(API_KEY_PATTERN);
    expect(made.secret.startsWith(made.apiKey.prefix)).toBe(true);
    expect(made.apiKey).toMatchObject({ scopes: ["inventory:read", "orders:read"], tier: "PLUS", status: "ACTIVE", retailer: { id: retailerId("meridian") } });
    const rows = await sql<{ secret_hash: string }>(`SELECT * FROM stores.api_key WHERE id = $1`, [made.apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(made.secret.slice(13));
    expect(rows[0]!.secret_hash).toBe(hashApiKey(made.secret));
    const listed = await h.q(`{ apiKeys(first: 50) { edges { node { id prefix } } } }`, {}, ADMIN);
    expect(JSON.stringify(listed.data)).toContain(made.apiKey.id);
    expect(JSON.stringify(listed)).not.toContain("secret");
  });

  it("answers the gateway's lookup by hash, and nobody else's", async () => {
    const made = await create({});
    const found = await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, GATEWAY);
    expect(found.data!.apiKeyCredential).toMatchObject({ id: made.apiKey.id, scopes: ["inventory:read"], revoked: false, retailerId: null });
    expect((await h.q(CREDENTIAL, { h: hashApiKey("o2o_nope") }, GATEWAY)).data!.apiKeyCredential).toBeNull();
    expect((await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, ADMIN)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("rotates: a new secret, the old hash gone, the cache entry dropped", async () => {
    const made = await create({});
    await h.wiring.cache.set(apiKeyCacheKey(hashApiKey(made.secret)), "cached", 60);
    const rotated = (await h.q(ROTATE, { id: made.apiKey.id }, ADMIN)).data!.rotateApiKey;
    expect(rotated.secret).toMatch(API_KEY_PATTERN);
    expect(rotated.secret).not.toBe(made.secret);
    expect(await h.wiring.cache.get(apiKeyCacheKey(hashApiKey(made.secret)))).toBeNull();
    expect((await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, GATEWAY)).data!.apiKeyCredential).toBeNull();
    expect((await h.q(CREDENTIAL, { h: hashApiKey(rotated.secret) }, GATEWAY)).data!.apiKeyCredential.id).toBe(made.apiKey.id);
  });

  it("revokes once, idempotently, and drops the cache entry", async () => {
    const made = await create({});
    await h.wiring.cache.set(apiKeyCacheKey(hashApiKey(made.secret)), "cached", 60);
    const first = (await h.q(REVOKE, { id: made.apiKey.id }, ADMIN)).data!.revokeApiKey;
    const again = (await h.q(REVOKE, { id: made.apiKey.id }, ADMIN)).data!.revokeApiKey;
    expect(first.apiKey.status).toBe("REVOKED");
    expect(again.apiKey).toEqual(first.apiKey);
    expect(await h.wiring.cache.get(apiKeyCacheKey(hashApiKey(made.secret)))).toBeNull();
    expect((await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, GATEWAY)).data!.apiKeyCredential.revoked).toBe(true);
    expect((await h.q(ROTATE, { id: made.apiKey.id }, ADMIN)).data!.rotateApiKey.userErrors[0].code).toBe("KEY_REVOKED");
  });

  it.each([
    ["an unknown scope", { scopes: ["inventory:read", "root"] }, "UNKNOWN_SCOPE"],
    ["no scopes", { scopes: [] }, "NO_SCOPES"],
    ["an empty name", { name: "  " }, "INVALID_NAME"],
    ["an unknown retailer", { retailerId: "00000000-0000-4000-8000-000000000000" }, "UNKNOWN_RETAILER"],
    ["a malformed retailer id", { retailerId: "meridian" }, "UNKNOWN_RETAILER"],
    ["a past expiry", { expiresAt: "2020-01-01T00:00:00Z" }, "EXPIRY_IN_PAST"],
    ["admin on a partner key", { retailerId: retailerId("hoshi"), scopes: ["admin"] }, "ADMIN_IS_PLATFORM_ONLY"],
  ])("refuses %s without writing anything", async (_, input, code) => {
    const before = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM stores.api_key`))[0]!.n;
    const made = await create(input);
    expect(made).toMatchObject({ apiKey: null, secret: null, userErrors: [{ code }] });
    const after = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM stores.api_key`))[0]!.n;
    expect(after).toBe(before);
  });

  it("is for platform admins only", async () => {
    const partnerAdmin = { keyId: "k", retailerId: retailerId("hoshi"), scopes: ["admin"] };
    expect((await h.q(CREATE, { i: { name: "x", scopes: ["orders:read"] } }, partnerAdmin)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(`{ apiKeys { edges { cursor } } }`, {}, { keyId: "k", scopes: ["orders:read"] })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(`{ apiKeys { edges { cursor } } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await h.q(REVOKE, { id: "not-an-id" }, ADMIN)).data!.revokeApiKey.userErrors[0].code).toBe("KEY_NOT_FOUND");
  });
});
