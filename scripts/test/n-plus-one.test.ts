import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL } from "@o2o/runtime/testing";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// A category-style listing: products with brand and availability near a point.
const LISTING = `query Listing($first: Int!, $near: GeoPointInput!) {
  products(first: $first) {
    edges { node { sku name brand { name } price { amount currency }
      availability(near: $near, first: 3) { quantity distanceKm store { id name format } } } }
  }
}`;
const near = { lat: 35.6717, lng: 139.765 };

let t: TestSupergraph;
let uncachedUrl: string;
beforeAll(async () => {
  t = await startTestSupergraph();
  // Counts what answering costs, so through a replica without the read cache (read-cache.test.ts tests the cache).
  uncachedUrl = (await t.replica({ cache: false })).url;
});
afterAll(async () => t?.stop());

async function cost(first: number) {
  const sql0 = await t.metric("o2o_sql_statements_total");
  const fetch0 = await t.metric("o2o_subgraph_fetches_total");
  const res = await postGraphQL(uncachedUrl, LISTING, { first, near });
  expect(res.errors).toBeUndefined();
  expect(res.data!.products.edges).toHaveLength(first);
  return { sql: (await t.metric("o2o_sql_statements_total")) - sql0, fetches: (await t.metric("o2o_subgraph_fetches_total")) - fetch0 };
}

describe("no N+1 across the supergraph", () => {
  it("lists 50 products with brand and availability in as many SQL statements and subgraph fetches as 10", async () => {
    await cost(10); // warm up connections and prepared plans
    const ten = await cost(10);
    const fifty = await cost(50);
    expect(fifty.sql).toBe(ten.sql);
    expect(fifty.fetches).toBe(ten.fetches);
    expect(ten.sql).toBeGreaterThan(0);
    expect(ten.sql).toBeLessThanOrEqual(8);
  });
});
