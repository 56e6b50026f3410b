import { readFileSync, rmSync } from "node:fs";
import { demoRetailerId, hashApiKey, postGraphQL } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// Every log line of this file's process goes to a file, so the test can prove no secret or hash is in it.
const LOG_FILE = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? "/tmp"}/o2o-partner-keys-${process.pid}.log`;
  process.env.O2O_LOG_FILE = file;
  process.env.LOG_LEVEL = "debug";
  return file;
});

let t: TestSupergraph;
let admin: Record<string, string>;
const seen: string[] = [];
beforeAll(async () => {
  t = await startTestSupergraph();
  admin = (await t.key(["admin"])).headers;
});
afterAll(async () => {
  await t?.stop();
  rmSync(LOG_FILE, { force: true });
});

const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id prefix status retailer { name } } secret userErrors { code } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { status } userErrors { code } } }`;
const ROTATE = `mutation($id: ID!) { rotateApiKey(id: $id) { secret userErrors { code } } }`;
const PROBE = `{ retailers { name } }`;
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function createKey(input: Record<string, unknown>) {
  const res = await t.query(CREATE, { i: { name: "partner test", scopes: ["inventory:read"], ...input } }, admin);
  expect(res.errors).toBeUndefined();
  const made = res.data!.createApiKey;
  seen.push(made.secret, hashApiKey(made.secret));
  return made as { apiKey: { id: string; prefix: string; status: string; retailer: { name: string } | null }; secret: string };
}

describe("API keys through the gateway", () => {
  it("an admin key creates a partner key that works at once and is listed by prefix only", async () => {
    const made = await createKey({ retailerId: demoRetailerId("meridian"), scopes: ["orders:read"] });
    expect(made.apiKey).toMatchObject({ status: "ACTIVE", retailer: { name: "Meridian Department Stores" } });
    expect((await t.query(PROBE, {}, bearer(made.secret))).status).toBe(200);
    const listed = await t.query(`{ apiKeys(first: 100) { edges { node { id prefix scopes } } } }`, {}, admin);
    const mine = listed.data!.apiKeys.edges.find((e: any) => e.node.id === made.apiKey.id);
    expect(mine.node).toEqual({ id: made.apiKey.id, prefix: made.apiKey.prefix, scopes: ["orders:read"] });
    expect(JSON.stringify(listed)).not.toContain(made.secret);
  });

  it("a key without admin cannot manage keys (FORBIDDEN), and anonymous callers are UNAUTHENTICATED", async () => {
    const partner = (await t.key(["orders:read", "inventory:read"], "meridian")).headers;
    const asPartner = await t.query(CREATE, { i: { name: "x", scopes: ["admin"] } }, partner);
    expect(asPartner.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(asPartner.data).toEqual({ createApiKey: null });
    const anonymous = await t.query(`{ apiKeys { edges { cursor } } retailers { name } }`);
    expect(anonymous.errors?.[0]).toMatchObject({ path: ["apiKeys"], extensions: { code: "UNAUTHENTICATED" } });
    expect(anonymous.data!.retailers.length).toBeGreaterThan(0);
  });

  it("refuses unknown, malformed and expired keys with 401", async () => {
    const unknown = "o2o_abcdefgh_" + "A".repeat(43);
    for (const header of [bearer(unknown), bearer("o2o_not-a-key"), { authorization: "Basic abc" }]) {
      const res = await t.query(PROBE, {}, header);
      expect(res.status).toBe(401);
      expect(res.errors![0]!.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const soon = await createKey({ expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await t.query(PROBE, {}, bearer(soon.secret))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await t.query(PROBE, {}, bearer(soon.secret));
    expect(expired.status).toBe(401);
    expect(expired.errors![0]!.message).toMatch(/expired/);
  });

  it("a revoked key fails on a second gateway replica within 5 s", async () => {
    const replica = await t.replica();
    const made = await createKey({});
    expect((await postGraphQL(replica.url, PROBE, {}, bearer(made.secret))).status).toBe(200); // now cached on the replica's side too
    const revokedAt = Date.now();
    expect((await t.query(REVOKE, { id: made.apiKey.id }, admin)).data!.revokeApiKey.apiKey.status).toBe("REVOKED");
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) {
      status = (await postGraphQL(replica.url, PROBE, {}, bearer(made.secret))).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    const again = await postGraphQL(replica.url, PROBE, {}, bearer(made.secret));
    expect(again.errors![0]!.message).toMatch(/revoked/);
  });

  it("rotation: the new secret works, the old one stops on every replica", async () => {
    const replica = await t.replica();
    const made = await createKey({});
    expect((await postGraphQL(replica.url, PROBE, {}, bearer(made.secret))).status).toBe(200);
    const rotated = (await t.query(ROTATE, { id: made.apiKey.id }, admin)).data!.rotateApiKey;
    seen.push(rotated.secret, hashApiKey(rotated.secret));
    expect((await postGraphQL(replica.url, PROBE, {}, bearer(made.secret))).status).toBe(401);
    expect((await postGraphQL(replica.url, PROBE, {}, bearer(rotated.secret))).status).toBe(200);
  });

  it("a subgraph called directly, without the gateway's signature, answers nothing", async () => {
    const made = await createKey({});
    for (const headers of [{}, { "x-o2o-caller": "forged.signature" }] as Record<string, string>[]) {
      const res = await fetch(t.supergraph.subgraphs.stores.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: `query($h: String!) { apiKeyCredential(secretHash: $h) { id scopes } }`, variables: { h: hashApiKey(made.secret) } }),
      });
      expect(res.status).toBe(401);
      expect(JSON.stringify(await res.json())).not.toContain(made.apiKey.id);
    }
  });

  it("no secret and no key hash appear in the logs or in any error", async () => {
    const made = await createKey({});
    const bad = await t.query(PROBE, {}, bearer(made.secret.slice(0, -1) + (made.secret.endsWith("A") ? "B" : "A")));
    expect(bad.status).toBe(401);
    await t.query(REVOKE, { id: made.apiKey.id }, admin);
    const revoked = await t.query(PROBE, {}, bearer(made.secret));
    for (const answer of [bad, revoked]) for (const secret of seen) expect(JSON.stringify(answer)).not.toContain(secret);
    const logs = readFileSync(LOG_FILE, "utf8");
    expect(logs).toContain(made.apiKey.prefix); // keys are named in logs by their prefix…
    for (const secret of seen) expect(logs).not.toContain(secret); // …never by the key or its hash
    expect(logs).not.toContain(admin.authorization!.slice(7));
  });
});
