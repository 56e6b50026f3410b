import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, demoProductId } from "@o2o/runtime";
import { postGraphQL, startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { createProductsSubgraph } from "../src/server.ts";

let t: TestSubgraph;
const q = (query: string, variables: Record<string, unknown> = {}) => t.q(query, variables);

beforeAll(async () => {
  t = await startTestSubgraph(createProductsSubgraph);
});
afterAll(async () => t?.stop());

describe("products subgraph", () => {
  it("publishes its Federation 2 SDL with both keys of Product", async () => {
    const res = await q("{ _service { sdl } }");
    const sdl = res.data!._service.sdl as string;
    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).toContain('@key(fields: "sku")');
  });

  it("resolves Product references by id and by sku, null for unknown ones", async () => {
    const [first, second] = DEMO_PRODUCTS;
    const res = await q(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id sku name price { amount currency } } } }`,
      {
        r: [
          { __typename: "Product", id: demoProductId(first!.sku) },
          { __typename: "Product", sku: second!.sku },
          { __typename: "Product", id: "00000000-0000-4000-8000-000000000000" },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: demoProductId(first!.sku), sku: first!.sku, name: first!.name, price: { amount: first!.price, currency: "JPY" } },
      { id: demoProductId(second!.sku), sku: second!.sku, name: second!.name, price: { amount: second!.price, currency: "JPY" } },
      null,
    ]);
  });

  it("pages the whole catalogue by keyset cursors without gaps or repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await q(`query($after: String) { products(first: 25, after: $after) { edges { node { sku } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...res.data.products.edges.map((e: any) => e.node.sku));
      if (!res.data.products.pageInfo.hasNextPage) break;
      after = res.data.products.pageInfo.endCursor;
    }
    expect(seen).toEqual(DEMO_PRODUCTS.map((p) => p.sku).sort());
  });

  it("filters by category and temperature class", async () => {
    const res = await q(`{ products(first: 100, filter: { temperatureClass: FROZEN }) { edges { node { sku temperatureClass category { slug } } } } }`);
    const nodes = res.data!.products.edges.map((e: any) => e.node);
    expect(nodes.length).toBe(DEMO_PRODUCTS.filter((p) => p.temperature === "FROZEN").length);
    expect(nodes.every((n: any) => n.temperatureClass === "FROZEN" && n.category.slug === "frozen-food")).toBe(true);
  });

  it("pages a category by keyset cursors in sku order; an unknown category is empty", async () => {
    const expected = DEMO_PRODUCTS.filter((p) => p.category === "cosmetics").map((p) => p.sku).sort();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await q(`query($after: String) { products(first: 2, after: $after, filter: { categorySlug: "cosmetics" }) { edges { node { sku } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...res.data.products.edges.map((e: any) => e.node.sku));
      if (!res.data.products.pageInfo.hasNextPage) break;
      after = res.data.products.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const none = await q(`{ products(first: 5, filter: { categorySlug: "no-such-category" }) { edges { cursor } pageInfo { hasNextPage } } }`);
    expect(none.data!.products).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it("finds a product by barcode, and null for an unknown barcode", async () => {
    const p = DEMO_PRODUCTS[5]!;
    const res = await q(`query($b: String!) { hit: productByBarcode(barcode: $b) { sku } miss: productByBarcode(barcode: "4900000000000") { sku } }`, { b: p.barcode });
    expect(res.data).toEqual({ hit: { sku: p.sku }, miss: null });
  });

  it.each([
    ["an id that is not a UUID", `{ product(id: "42") { sku } }`],
    ["both id and sku", `{ product(id: "${demoProductId("HAN-001")}", sku: "HAN-001") { sku } }`],
    ["a negative first", `{ products(first: -1) { edges { cursor } } }`],
    ["first above the maximum page size", `{ products(first: 101) { edges { cursor } } }`],
    ["a forged cursor", `{ products(after: "bm90LWEtY3Vyc29y!") { edges { cursor } } }`],
    ["a malformed barcode", `{ productByBarcode(barcode: "abc") { sku } }`],
  ])("refuses %s with BAD_USER_INPUT", async (_, query) => {
    const res = await q(query);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  });

  it("refuses calls that were not signed by the gateway", async () => {
    const res = await postGraphQL(t.url, "{ products { edges { cursor } } }");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.data ?? null).toBeNull();
  });
});
