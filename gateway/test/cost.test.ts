import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { actualCost, requestedCost } from "../src/cost.ts";

const schema = buildSchema(`
  type Query {
    shop: Shop
    products(first: Int = 20, last: Int, after: String): ProductConnection!
    stores(first: Int): [Store!]!
    search(text: String!): [SearchResult!]!
    node(id: ID!): Node
    tags: [String!]!
    matrix: [[Store]]
  }
  type Mutation {
    createProduct(title: String!): CreateProductPayload!
    deleteProduct(id: ID!): Boolean
  }
  type Shop { name: String! owner: Staff }
  type Staff { id: ID! }
  interface Node { id: ID! }
  type Product implements Node {
    id: ID!
    title: String!
    status: Status!
    variants(first: Int = 5): VariantConnection!
    images: [Image!]!
    store: Store
  }
  type Store implements Node { id: ID! name: String! staff: [Staff!]! featured: Product }
  type Variant implements Node { id: ID! sku: String! }
  type Image { url: String! }
  enum Status { ACTIVE ARCHIVED }
  union SearchResult = Product | Store
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! totalCount: Int! }
  type ProductEdge { cursor: String! node: Product! }
  type VariantConnection { edges: [VariantEdge!]! nodes: [Variant!]! }
  type VariantEdge { node: Variant! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type CreateProductPayload { product: Product userErrors: [UserError!]! }
  type UserError { message: String! }
`);

const requested = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => requestedCost(schema, parse(query), operationName, variables);
const actual = (query: string, data: unknown, variables: Record<string, unknown> = {}) => actualCost(schema, parse(query), undefined, variables, data);

describe("requested cost", () => {
  it("counts 1 per object, 0 per scalar or enum", () => {
    expect(requested("{ shop { name } }")).toBe(1);
    expect(requested("{ shop { name owner { id } } }")).toBe(2);
    expect(requested("{ node(id: 1) { id } }")).toBe(1);
  });

  it("does not count introspection", () => {
    expect(requested("{ __schema { types { name fields { name type { name } } } } }")).toBe(0);
    expect(requested('{ __typename __type(name: "Shop") { name } shop { __typename } }')).toBe(1);
  });

  it("costs a connection 2 plus first × one item; edges/nodes are not multiplied again", () => {
    expect(requested("{ products(first: 10) { edges { node { title } } } }")).toBe(12);
    expect(requested("{ products(first: 10) { nodes { title status } } }")).toBe(12);
    expect(requested("{ products(first: 10) { edges { cursor } } }")).toBe(12);
    // an edge and its node are one item; asking for both edges and nodes fetches twice
    expect(requested("{ products(first: 10) { edges { node { id } } nodes { id } } }")).toBe(22);
  });

  it("counts the page's own fields (pageInfo, totalCount) once", () => {
    expect(requested("{ products(first: 10) { nodes { id } pageInfo { hasNextPage } totalCount } }")).toBe(13);
  });

  it("takes the page size from last, the schema default, or 20", () => {
    expect(requested("{ products { nodes { id } } }")).toBe(22); // schema default 20
    expect(requested("{ products(last: 5) { nodes { id } } }")).toBe(7);
    expect(requested("{ products(first: 3, last: 7) { nodes { id } } }")).toBe(9);
    expect(requested("{ products(first: 0) { nodes { id } } }")).toBe(2);
    expect(requested("{ stores { name } }")).toBe(22); // no schema default: 20
  });

  it("multiplies nested connections and lists", () => {
    // per product: edge 1 + variants (2 + 5 × 1) + images 10 × 1 = 18
    expect(requested("{ products(first: 10) { edges { node { title variants { nodes { sku } } images { url } } } } }")).toBe(182);
    expect(requested("{ products(first: 10) { edges { node { variants(first: 50) { edges { node { id } } } } } } }")).toBe(2 + 10 * (1 + 2 + 50));
  });

  it("multiplies a paginated list by first, other lists by 10 per level", () => {
    expect(requested("{ stores(first: 4) { name staff { id } } }")).toBe(2 + 4 * (1 + 10));
    expect(requested("{ matrix { name } }")).toBe(100);
    expect(requested("{ tags }")).toBe(0);
  });

  it("reads first from variables, then the variable's default, then the schema default", () => {
    const query = "query Q($n: Int) { products(first: $n) { nodes { id } } }";
    expect(requested(query, { n: 50 })).toBe(52);
    expect(requested(query, {})).toBe(22);
    expect(requested(query, { n: null })).toBe(22);
    expect(requested("query Q($n: Int = 3) { products(first: $n) { nodes { id } } }", {})).toBe(5);
    expect(requested("query Q($n: Int) { stores(first: $n) { id } }", { n: 6 })).toBe(8);
  });

  it("costs each mutation root field 10 plus its selection", () => {
    expect(requested('mutation { createProduct(title: "x") { product { id } userErrors { message } } deleteProduct(id: "1") }')).toBe(10 + 1 + 10 + 10);
  });

  it("merges fragments the way execution does, and counts aliases separately", () => {
    expect(requested("{ products(first: 2) { nodes { ...P } } } fragment P on Product { title store { name } }")).toBe(2 + 2 * 2);
    expect(requested("{ shop { owner { id } ...S ... on Shop { owner { id } } } } fragment S on Shop { owner { id } }")).toBe(2);
    expect(requested("{ a: shop { name } b: shop { name } }")).toBe(2);
    expect(requested("{ shop { a: owner { id } b: owner { id } } }")).toBe(3);
  });

  it("takes the most expensive branch of an interface or union", () => {
    // Product: 1 + variants (2 + 3) = 6; Store: 1 + staff 10 = 11
    expect(requested('{ search(text: "x") { ... on Product { variants(first: 3) { nodes { id } } } ... on Store { staff { id } } } }')).toBe(10 * 11);
    expect(requested('{ search(text: "x") { ... on Node { id } ... on Product { store { id } } } }')).toBe(10 * 2);
    expect(requested('{ node(id: 1) { id ... on Product { images { url } } ...V } } fragment V on Variant { sku }')).toBe(11);
    // a fragment on the interface applies to every branch, alongside the branch's own
    expect(requested('{ search(text: "x") { ...N ... on Store { staff { id } } } } fragment N on Node { ... on Product { store { id } } }')).toBe(10 * 11);
  });

  it("honours @skip and @include, literal or variable", () => {
    const query = "query Q($s: Boolean!) { shop { owner @skip(if: $s) { id } } products(first: 10) @include(if: false) { nodes { id } } }";
    expect(requested(query, { s: true })).toBe(1);
    expect(requested(query, { s: false })).toBe(2);
    expect(requested("query Q($i: Boolean = false) { shop @include(if: $i) { name } }", {})).toBe(0);
    expect(requested("{ shop { ...S @skip(if: true) } } fragment S on Shop { owner { id } }")).toBe(1);
    // a condition it cannot read counts the selection
    expect(requested("query Q($s: Boolean!) { shop @skip(if: $s) { name } }", {})).toBe(1);
  });

  it("picks the operation by name; an unresolvable operation costs 0", () => {
    const document = "query A { shop { name } } query B { products(first: 1) { nodes { id } } }";
    expect(requested(document, {}, "A")).toBe(1);
    expect(requested(document, {}, "B")).toBe(3);
    expect(requested(document, {})).toBe(0);
    expect(requested(document, {}, "C")).toBe(0);
  });

  it("cuts fragment cycles instead of hanging", () => {
    expect(requested("{ shop { ...A } } fragment A on Shop { owner { id } ...B } fragment B on Shop { ...A }")).toBe(2);
    expect(requested("{ node(id: 1) { ...P } } fragment P on Product { store { featured { ...P } } }")).toBe(3);
  });

  it("costs a fragment spread in many places once per place, without expanding it exponentially", () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, k) =>
      k === levels - 1 ? `fragment F${k} on Store { name }` : `fragment F${k} on Store { featured { store { ...F${k + 1} } } b: featured { store { ...F${k + 1} } } }`,
    );
    const started = Date.now();
    const cost = requested(`{ node(id: 1) { ...F0 } } ${fragments.join(" ")}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cost).toBe(1 + 4 * (2 ** (levels - 1) - 1));
  });
});

describe("actual cost", () => {
  it("counts the items a connection really returned", () => {
    const query = "{ products(first: 10) { edges { node { title variants { nodes { sku } } } } pageInfo { hasNextPage } } }";
    const variants = (n: number) => ({ nodes: Array.from({ length: n }, (_, i) => ({ sku: `s${i}` })) });
    const data = {
      products: {
        edges: [{ node: { title: "a", variants: variants(2) } }, { node: { title: "b", variants: variants(0) } }, { node: { title: "c", variants: variants(1) } }],
        pageInfo: { hasNextPage: false },
      },
    };
    expect(requested(query)).toBe(2 + 1 + 10 * (1 + 2 + 5));
    expect(actual(query, data)).toBe(2 + 1 + (1 + 2 + 2) + (1 + 2 + 0) + (1 + 2 + 1));
  });

  it("counts the elements of plain lists", () => {
    expect(actual("{ stores(first: 4) { staff { id } } }", { stores: [{ staff: [{ id: "1" }, { id: "2" }] }, { staff: [] }] })).toBe(2 + (1 + 2) + 1);
    expect(actual("{ matrix { name } }", { matrix: [[{ name: "a" }, null], [], null] })).toBe(1);
  });

  it("costs a null object 0, with everything under it", () => {
    expect(actual("{ shop { owner { id } } }", { shop: { owner: null } })).toBe(1);
    expect(actual("{ shop { owner { id } } }", { shop: null })).toBe(0);
    expect(actual("{ shop { owner { id } } }", null)).toBe(0);
    expect(actual("{ products(first: 5) { nodes { id } } }", { products: null })).toBe(0);
  });

  it("counts an abstract object as the type it is", () => {
    const query = '{ search(text: "x") { kind: __typename ... on Product { variants(first: 3) { nodes { id } } } ... on Store { staff { id } } } }';
    const data = { search: [{ kind: "Product", variants: { nodes: [{ id: "v" }] } }, { kind: "Store", staff: [{ id: "1" }, { id: "2" }] }] };
    expect(actual(query, data)).toBe(1 + 2 + 1 + (1 + 2));
    // without __typename, only the fields present in the response count
    const untyped = '{ search(text: "x") { ... on Product { variants(first: 3) { nodes { id } } } ... on Store { staff { id } } } }';
    expect(actual(untyped, { search: [{ variants: { nodes: [] } }, { staff: [{ id: "1" }] }] })).toBe(1 + 2 + (1 + 1));
  });

  it("keeps a mutation's 10 for the attempt", () => {
    const mutation = 'mutation { createProduct(title: "x") { product { id } userErrors { message } } }';
    expect(actual(mutation, { createProduct: { product: null, userErrors: [{ message: "taken" }] } })).toBe(10 + 1);
    expect(actual(mutation, null)).toBe(10);
  });

  it("follows fragments and @skip as the request did", () => {
    const query = "query Q($s: Boolean!) { shop { ...S owner @skip(if: $s) { id } } } fragment S on Shop { owner { id } }";
    expect(actual(query, { shop: { owner: { id: "1" } } }, { s: true })).toBe(2);
    expect(actual(query, { shop: { owner: { id: "1" } } }, { s: false })).toBe(2);
  });
});
