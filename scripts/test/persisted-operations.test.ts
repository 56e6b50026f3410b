import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Persisted operations through the gateway: the frontend's manifest by id, automatic persisted queries shared by
// replicas, keys that may run only the manifest, and introspection only where it is allowed.
let t: TestSupergraph;
beforeAll(async () => void (t = await startTestSupergraph()));
afterAll(() => t?.stop());

type Manifest = { format: string; version: number; operations: { id: string; name: string; type: string; body: string }[] };
const manifest = JSON.parse(readFileSync(new URL("../../schema/persisted-operations.json", import.meta.url), "utf8")) as Manifest;
const productPage = manifest.operations.find((o) => o.name === "ProductPage")!;
const PRODUCT_PAGE_VARIABLES = { sku: "HAN-001", near: { lat: 35.6717, lng: 139.765 }, pickupDate: tomorrowInTokyo() };
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function send(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return (await response.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}
const byId = (id: string, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe("the persisted-operation manifest", () => {
  it("runs a manifest operation sent by its id alone", async () => {
    expect(manifest.format).toBe("apollo-persisted-query-manifest");
    const res = await send(t.url, byId(productPage.id, PRODUCT_PAGE_VARIABLES), t.as("aiko"));
    expect(res.errors).toBeUndefined();
    expect(res.data!.product.sku).toBe("HAN-001");
  });

  it("answers an unknown id with PERSISTED_QUERY_NOT_FOUND", async () => {
    const res = await send(t.url, byId(sha256("nothing like it")));
    expect(res.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});

describe("automatic persisted queries", () => {
  it("registers a query once; afterwards its hash alone works, on every replica", async () => {
    const query = `{ retailers { name } } # apq ${Date.now()}`;
    const hash = sha256(query);
    expect((await send(t.url, byId(hash))).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await send(t.url, { query, ...byId(hash) })).data!.retailers.length).toBeGreaterThan(0);
    expect((await send(t.url, byId(hash))).data!.retailers.length).toBeGreaterThan(0);
    const replica = await t.replica();
    expect((await send(replica.url, byId(hash))).data!.retailers.length).toBeGreaterThan(0);
  });
});

describe("keys limited to safelisted operations", () => {
  it("run manifest operations, and nothing else reaches a subgraph", async () => {
    const key = (await t.key(["orders:read"], "meridian", { safelistOnly: true })).headers;
    expect((await send(t.url, byId(productPage.id, PRODUCT_PAGE_VARIABLES), key)).errors).toBeUndefined();
    expect((await send(t.url, { query: productPage.body, variables: PRODUCT_PAGE_VARIABLES }, key)).errors).toBeUndefined();
    const fetches = await t.metric("o2o_subgraph_fetches_total");
    const adHoc = await send(t.url, { query: "{ retailers { name } }" }, key);
    expect(adHoc.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    const apq = `{ retailers { id } } # registered ${Date.now()}`;
    await send(t.url, { query: apq, ...byId(sha256(apq)) }); // registered by someone else
    expect((await send(t.url, byId(sha256(apq)), key)).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(await t.metric("o2o_subgraph_fetches_total")).toBe(fetches + 1); // only the anonymous registration ran
  });
});

describe("introspection", () => {
  const INTROSPECT = `{ __schema { queryType { name } } }`;
  it("is open in the embedded default", async () => {
    expect((await send(t.url, { query: INTROSPECT })).data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("when scoped, needs a key with schema:read", async () => {
    const scoped = await t.replica({ introspection: "scoped" });
    expect((await send(scoped.url, { query: INTROSPECT })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await send(scoped.url, { query: `{ __type(name: "Order") { name } }` }, (await t.key(["orders:read"])).headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await send(scoped.url, { query: INTROSPECT }, (await t.key(["schema:read"])).headers)).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect((await send(scoped.url, { query: "{ retailers { __typename name } }" })).errors).toBeUndefined();
  });
});
