import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  apiSchema,
  buildManifest,
  canonicalBody,
  checkManifest,
  InvalidOperationsError,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  manifestProblems,
  sha256,
  type Manifest,
} from "../src/persisted-manifest.ts";

// The frontend's persisted-operation manifest (schema/persisted-operations.json) against its sources
// (schema/operations/*.graphql) and the public API schema. No supergraph is started.
const schema = apiSchema();

describe("the checked-in persisted-operation manifest", () => {
  it("is what schema/operations generates (run `npx tsx scripts/src/persisted-manifest.ts` after editing an operation)", () => {
    const check = checkManifest();
    expect(check.actual).not.toBeNull();
    expect(check.actual).toBe(check.expected);
    expect(check.upToDate).toBe(true);
  });

  it("holds valid operations only: ids are SHA-256 of the bodies, each body one named operation valid against schema/api.graphql", () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest;
    expect(manifest.format).toBe(MANIFEST_FORMAT);
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o) => o.name)).toEqual(expect.arrayContaining(["ProductPage", "StoreFinder", "MyOrders", "Checkout", "PayOrder", "LinkPartnerMembership", "ProductSearch"]));
    expect(manifest.operations.map((o) => o.name)).toEqual(manifest.operations.map((o) => o.name).sort());
    expect(manifestProblems(manifest, schema)).toEqual([]);
  });
});

describe("the manifest generator", () => {
  const source = (name: string, text: string) => ({ name: `schema/operations/${name}`, text });

  it("puts each operation with the fragments it uses, printed as Apollo Client sends it", () => {
    const manifest = buildManifest(
      [
        source("a.graphql", "query Stores { stores(first: 1) { edges { node { ...Named } } } }"),
        source("b.graphql", "fragment Named on Store { id name retailer { ...RetailerName } }\nfragment RetailerName on Retailer { name }\nfragment Unused on Brand { id }"),
        source("c.graphql", "mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { userErrors { code } } }"),
      ],
      schema,
    );
    expect(manifest.operations.map((o) => [o.name, o.type])).toEqual([
      ["Pay", "mutation"],
      ["Stores", "query"],
    ]);
    const stores = manifest.operations[1]!;
    expect(stores.id).toBe(sha256(stores.body));
    // __typename on every selection set but the operation's root; operation first, then fragments by name.
    expect(stores.body).toBe(
      [
        "query Stores {",
        "  stores(first: 1) {",
        "    edges {",
        "      node {",
        "        ...Named",
        "        __typename",
        "      }",
        "      __typename",
        "    }",
        "    __typename",
        "  }",
        "}",
        "",
        "fragment Named on Store {",
        "  id",
        "  name",
        "  retailer {",
        "    ...RetailerName",
        "    __typename",
        "  }",
        "  __typename",
        "}",
        "",
        "fragment RetailerName on Retailer {",
        "  name",
        "  __typename",
        "}",
      ].join("\n"),
    );
  });

  it("adds no second __typename where one is selected", () => {
    expect(canonicalBody(parse("query Q { me { __typename id } retailers { name } }"))).toBe(
      "query Q {\n  me {\n    __typename\n    id\n  }\n  retailers {\n    name\n    __typename\n  }\n}",
    );
  });

  it("refuses invalid operations, naming each file, position and problem", () => {
    const attempt = () =>
      buildManifest(
        [
          source("bad.graphql", 'query Broken($unused: Int) { product(sku: "x") { colour } }'),
          source("anonymous.graphql", "{ retailers { name } }"),
          source("twice.graphql", "query Broken { retailers { name } }"),
          source("syntax.graphql", "query Oops { me {"),
        ],
        schema,
      );
    expect(attempt).toThrow(InvalidOperationsError);
    let problems: string[] = [];
    try {
      attempt();
    } catch (err) {
      problems = (err as InvalidOperationsError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schema\/operations\/bad\.graphql:1:\d+ Cannot query field "colour" on type "Product"\..* \(operation Broken\)$/),
        expect.stringMatching(/^schema\/operations\/bad\.graphql:1:\d+ Variable "\$unused" is never used/),
        expect.stringMatching(/^schema\/operations\/anonymous\.graphql:1:1 an operation needs a name/),
        expect.stringMatching(/^schema\/operations\/twice\.graphql:1:1 operation Broken is also defined in schema\/operations\/bad\.graphql/),
        expect.stringMatching(/^schema\/operations\/syntax\.graphql:1:\d+ Syntax Error/),
      ]),
    );
  });

  it("reports a stale or missing file", () => {
    const check = checkManifest("/nonexistent/persisted-operations.json");
    expect(check).toMatchObject({ upToDate: false, actual: null });
    expect(JSON.parse(check.expected).format).toBe(MANIFEST_FORMAT);
  });

  it("finds a manifest whose id does not match its body, or whose body does not validate", () => {
    const body = "query Q {\n  retailers {\n    colour\n  }\n}";
    const problems = manifestProblems({ format: MANIFEST_FORMAT, version: 1, operations: [{ id: sha256("other"), name: "Q", type: "query", body }] }, schema);
    expect(problems).toEqual([expect.stringMatching(/^Q: id .* is not the SHA-256 of its body$/), expect.stringMatching(/^Q: Cannot query field "colour" on type "Retailer"/)]);
  });
});
