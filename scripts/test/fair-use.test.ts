import { redisBucket } from "@o2o/gateway/throttle";
import { postGraphQL } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// Query cost and rate limits, Shopify-style: cost from the schema before execution, one bucket per key shared
// by every gateway replica, THROTTLED with a correct Retry-After, oversized operations refused before any fetch.
let t: TestSupergraph;
beforeAll(async () => void (t = await startTestSupergraph()));
afterAll(() => t?.stop());

type Cost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } };
const costOf = (res: { extensions?: Record<string, unknown> }) => res.extensions?.cost as Cost;
const PAGE = `{ products(first: 40) { edges { node { sku brand { name } } } } }`;
const fetches = () => t.metric("o2o_subgraph_fetches_total");

describe("query cost", () => {
  it("reports requested cost, actual cost and the bucket on every answer", async () => {
    const key = (await t.key(["orders:read"], null, { tier: "FREE" })).headers;
    const res = await t.query(PAGE, {}, key);
    expect(res.errors).toBeUndefined();
    const cost = costOf(res);
    expect(cost.requestedQueryCost).toBeGreaterThan(40);
    expect(cost.actualQueryCost).toBeLessThanOrEqual(cost.requestedQueryCost);
    expect(cost.throttleStatus).toMatchObject({ maximumAvailable: 500, restoreRate: 25 });
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(500 - cost.actualQueryCost! + 25);
  });

  it("gives back what a short list did not cost", async () => {
    const key = (await t.key(["orders:read"], null, { tier: "FREE" })).headers;
    const res = await t.query(`{ retailer(id: "00000000-0000-4000-8000-000000000000") { stores(first: 50) { edges { node { name } } } } }`, {}, key);
    const cost = costOf(res);
    expect(cost.actualQueryCost).toBeLessThan(cost.requestedQueryCost);
    expect(cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(500 - cost.actualQueryCost!);
  });
});

describe("rate limits", () => {
  it("throttles a burst with THROTTLED, HTTP 429 and a correct Retry-After; two replicas share one bucket", async () => {
    const replica = await t.replica();
    const key = (await t.key(["orders:read"], null, { tier: "FREE" })).headers;
    const urls = [t.url, replica.url];
    const spent: number[] = [];
    const started = Date.now();
    let throttled: Awaited<ReturnType<typeof postGraphQL>> | undefined;
    let httpResponse: Response | undefined;
    for (let i = 0; i < 20 && !throttled; i++) {
      const response = await fetch(urls[i % 2]!, { method: "POST", headers: { "content-type": "application/json", ...key }, body: JSON.stringify({ query: PAGE }) });
      const body = (await response.json()) as Awaited<ReturnType<typeof postGraphQL>>;
      if (body.errors?.[0]?.extensions?.code === "THROTTLED") [throttled, httpResponse] = [body, response];
      else spent.push(costOf(body).actualQueryCost!);
    }
    expect(throttled).toBeDefined();
    // One bucket for both replicas: what passed fits in 500 points plus what refilled meanwhile (not twice that).
    const refilled = ((Date.now() - started) / 1000) * 25;
    expect(spent.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500 + refilled);
    expect(spent.length).toBeGreaterThanOrEqual(2); // both replicas served before the bucket ran dry
    const error = throttled!.errors![0]!;
    const status = (error.extensions!.cost as Cost).throttleStatus;
    const requested = (error.extensions!.cost as Cost).requestedQueryCost;
    const retryAfter = error.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBe(Math.ceil((requested - status.currentlyAvailable) / 25));
    expect(httpResponse!.status).toBe(429);
    expect(httpResponse!.headers.get("retry-after")).toBe(String(retryAfter));
    expect(throttled!.data).toBeUndefined();
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    const later = await postGraphQL(replica.url, PAGE, {}, key);
    expect(later.errors).toBeUndefined();
  }, 60_000);

  it("a bare Redis bucket that cannot answer: the request is served unthrottled (throttleStatus null) rather than failed (the gateway wraps it in resilientBucket: per-process limits, faults/redis-down.test.ts)", async () => {
    const bucket = redisBucket("redis://127.0.0.1:1");
    const replica = await t.replica({}, { bucket });
    const res = await postGraphQL(replica.url, PAGE, {}, (await t.key(["orders:read"], null, { tier: "FREE" })).headers);
    expect(res.errors).toBeUndefined();
    expect(costOf(res)).toMatchObject({ requestedQueryCost: expect.any(Number), throttleStatus: null });
    await bucket.close();
  });

  it("keeps callers apart: another key's bucket is full", async () => {
    const drained = (await t.key(["orders:read"], null, { tier: "FREE" })).headers;
    for (let i = 0; i < 8; i++) await t.query(PAGE, {}, drained);
    const fresh = await t.query(PAGE, {}, (await t.key(["orders:read"], null, { tier: "FREE" })).headers);
    expect(fresh.errors).toBeUndefined();
  });
});

describe("operation limits, before any subgraph is called", () => {
  const refusedBeforeFetching = async (query: string, code: string) => {
    const before = await fetches();
    const res = await t.query(query);
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.data).toBeUndefined();
    expect(await fetches()).toBe(before);
    return res;
  };

  it("an operation 50 levels deep", async () => {
    const cycle = (inner: string) => `retailer { stores(first: 1) { edges { node { ${inner} } } } }`;
    let selection = "name";
    for (let i = 0; i < 13; i++) selection = cycle(selection);
    const res = await refusedBeforeFetching(`{ stores(first: 1) { edges { node { ${selection} } } } }`, "GRAPHQL_VALIDATION_FAILED");
    expect(res.errors![0]!.message).toMatch(/5\d levels deep/);
  });

  it("an operation with 1 000 aliases", async () => {
    const res = await refusedBeforeFetching(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: retailers { name }`).join(" ")} }`, "GRAPHQL_VALIDATION_FAILED");
    expect(res.errors!.some((e) => /1000 aliases/.test(e.message))).toBe(true);
  });

  it("an operation whose cost exceeds the maximum", async () => {
    const res = await refusedBeforeFetching(
      `{ products(first: 100) { edges { node { availability(near: { lat: 35.67, lng: 139.76 }, first: 50) { store { name retailer { name } } } } } } }`,
      "MAX_COST_EXCEEDED",
    );
    expect((res.errors![0]!.extensions!.cost as { requestedQueryCost: number }).requestedQueryCost).toBeGreaterThan(1000);
  });
});
