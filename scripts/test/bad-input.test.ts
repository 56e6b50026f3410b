import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { internalDetail } from "./fuzz/check.ts";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
});
afterAll(async () => t?.stop());

/** Nothing a client sees may leak internals (the patterns are the fuzz test's: fuzz/check.ts). */
function expectNoInternals(body: unknown) {
  expect(internalDetail(JSON.stringify(body))).toBeNull();
}

describe("bad input gets a clear error with a stable code", () => {
  it.each([
    ["a malformed query", "{ products(first: 2) { edges ", {}, "GRAPHQL_PARSE_FAILED"],
    ["an unknown field", "{ products { edges { node { sku colour } } } }", {}, "GRAPHQL_VALIDATION_FAILED"],
    ["a wrong variable type", "query($n: Int!) { products(first: $n) { edges { cursor } } }", { n: "ten" }, "BAD_USER_INPUT"],
    ["an invalid ID", `{ product(id: "not-a-uuid") { sku } }`, {}, "BAD_USER_INPUT"],
    ["a negative first", "{ products(first: -5) { edges { cursor } } }", {}, "BAD_USER_INPUT"],
    ["first above the maximum page size", "{ products(first: 101) { edges { cursor } } }", {}, "BAD_USER_INPUT"],
    ["a first so large the operation costs more than allowed", "{ products(first: 1000) { edges { cursor } } }", {}, "MAX_COST_EXCEEDED"],
    ["an invalid store id", `{ store(id: "42") { name } }`, {}, "BAD_USER_INPUT"],
    ["coordinates off the globe", `{ stores(near: { lat: 123, lng: 0 }) { edges { node { name } } } }`, {}, "BAD_USER_INPUT"],
    ["an invalid date variable", `query($d: Date!) { stores(first: 1) { edges { node { pickupSlots(date: $d) { id } } } } }`, { d: "2026-13-45" }, "BAD_USER_INPUT"],
    ["an invalid date literal", `{ stores(first: 1) { edges { node { pickupSlots(date: "2026-13-45") { id } } } } }`, {}, "GRAPHQL_VALIDATION_FAILED"],
    ["a forged cursor", `{ products(after: "forged") { edges { cursor } } }`, {}, "BAD_USER_INPUT"],
  ])("refuses %s", async (_, query, variables, code) => {
    const res = await t.query(query, variables);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors![0]!.extensions?.code).toBe(code);
    expect(res.errors![0]!.message.length).toBeGreaterThan(10);
    expectNoInternals(res);
  });

  it("returns null, not an error, for unknown ids", async () => {
    const res = await t.query(`{ product(id: "00000000-0000-4000-8000-000000000000") { sku } store(id: "00000000-0000-4000-8000-000000000000") { name } productByBarcode(barcode: "4900000000000") { sku } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ product: null, store: null, productByBarcode: null });
  });

  it("refuses a body that is not JSON with 400 and a GraphQL-shaped error", async () => {
    const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expectNoInternals(body);
  });

  it("refuses a forged or expired member token with 401 UNAUTHENTICATED", async () => {
    const res = await t.query("{ me { displayName } }", {}, { authorization: "Bearer mt_forged.token" });
    expect(res.status).toBe(401);
    expect(res.errors![0]!.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses operations deeper than the limit before calling any subgraph", async () => {
    const deep = `{ products { edges { node { ${"availability(near: {lat: 35, lng: 139}) { store { ".repeat(8)} name ${"} } ".repeat(8)} } } } }`;
    const fetches = await t.metric("o2o_subgraph_fetches_total");
    const res = await t.query(deep);
    expect(res.errors![0]!.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.errors![0]!.message).toMatch(/levels deep/);
    expect(await t.metric("o2o_subgraph_fetches_total")).toBe(fetches);
  });

  it("does not let a client call a subgraph directly", async () => {
    const res = await fetch(t.supergraph.subgraphs.members.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { displayName } }" }) });
    expect(res.status).toBe(401);
  });
});
