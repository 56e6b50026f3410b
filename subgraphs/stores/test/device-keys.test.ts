import { demoStoreId, hashApiKey, withSqlTransaction } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retailerId, startStores, type Harness } from "./support.ts";

// Device keys (checkout-free gates, shelf sensors): an API key bound to one store of its retailer.
let h: Harness;
beforeAll(async () => void (h = await startStores()));
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
afterAll(() => h?.stop());

const ADMIN = { keyId: "platform-admin", scopes: ["admin"] };
const GATEWAY = { service: "gateway" };
const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id store { id name } retailer { id } } secret userErrors { code field } } }`;
const CREDENTIAL = `query($h: String!) { apiKeyCredential(secretHash: $h) { id retailerId storeId scopes } }`;
const ROPPONGI = demoStoreId("corner24-roppongi");
const keyCount = async () => Number((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM stores.api_key`))[0]!.n);

describe("device keys bound to one store", () => {
  it("are made for a store of the key's retailer, shown on ApiKey.store and passed to the gateway's lookup", async () => {
    const res = await h.q(CREATE, { i: { name: "Roppongi gate", retailerId: retailerId("corner24"), storeId: ROPPONGI, scopes: ["sensors:write"] } }, ADMIN);
    expect(res.errors).toBeUndefined();
    const made = res.data!.createApiKey;
    expect(made.userErrors).toEqual([]);
    expect(made.apiKey).toMatchObject({ store: { id: ROPPONGI, name: "Corner24 Roppongi" }, retailer: { id: retailerId("corner24") } });
    const found = await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, GATEWAY);
    expect(found.data!.apiKeyCredential).toMatchObject({ id: made.apiKey.id, retailerId: retailerId("corner24"), storeId: ROPPONGI });
    expect((await sql<{ store_id: string }>(`SELECT store_id FROM stores.api_key WHERE id = $1`, [made.apiKey.id]))[0]!.store_id).toBe(ROPPONGI);
  });

  it("leave keys without a store unbound", async () => {
    const made = (await h.q(CREATE, { i: { name: "Corner24 back office", retailerId: retailerId("corner24"), scopes: ["inventory:read"] } }, ADMIN)).data!.createApiKey;
    expect(made.apiKey.store).toBeNull();
    expect((await h.q(CREDENTIAL, { h: hashApiKey(made.secret) }, GATEWAY)).data!.apiKeyCredential.storeId).toBeNull();
  });

  it.each([
    ["another retailer's store", { retailerId: retailerId("meridian"), storeId: ROPPONGI }, "STORE_NOT_OF_RETAILER"],
    ["a platform key", { storeId: ROPPONGI }, "STORE_NOT_OF_RETAILER"],
    ["an unknown store", { retailerId: retailerId("corner24"), storeId: randomUUID() }, "UNKNOWN_STORE"],
    ["a malformed store id", { retailerId: retailerId("corner24"), storeId: "roppongi" }, "UNKNOWN_STORE"],
  ])("refuse %s with a userError and write nothing", async (_, input, code) => {
    const before = await keyCount();
    const made = (await h.q(CREATE, { i: { name: "bad gate", scopes: ["sensors:write"], ...input } }, ADMIN)).data!.createApiKey;
    expect(made).toMatchObject({ apiKey: null, secret: null, userErrors: [{ code, field: ["input", "storeId"] }] });
    expect(await keyCount()).toBe(before);
  });
});
