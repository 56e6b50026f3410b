import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS, type Caller } from "@o2o/runtime";
import { enforcedHere } from "../src/authorize-rules.ts";
import { accessRules, authorizeOperation, restoreDenied, TYPENAME_KEY, withAuthorization } from "../src/authorize.ts";

// Two subgraphs using the directives the way ours do: on fields, on a type (Manager), an OR of ANDs
// (revenue), non-null denied fields (stock, auditCount, setStock), denied fields inside lists
// (rating, author), denied mutations, a union holding a restricted type, an interface
// composition makes restricted because one implementation is.
const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@authenticated", "@requiresScopes"])`;
const STORES_SDL = `${LINK}
type Query {
  stores: [Store!]!
  store(id: ID!): Store
  search: [SearchResult!]!
  node(id: ID!): Node
  auditCount: Int! @requiresScopes(scopes: [["admin"]])
}
interface Node { id: ID! }
type Store implements Node @key(fields: "id") {
  id: ID!
  name: String!
  stock(first: Int): StockConnection! @requiresScopes(scopes: [["inventory:read"]])
  revenue: Int @requiresScopes(scopes: [["orders:read", "payments:write"], ["admin"]])
  manager: Manager
}
type StockConnection { total: Int! }
type Manager implements Node @authenticated { id: ID! name: String }
union SearchResult = Store | Manager
type Mutation {
  setStock(storeId: ID!, quantity: Int!): Int! @requiresScopes(scopes: [["inventory:write"]])
  renameStore(storeId: ID!, name: String!): Store
}
`;
const REVIEWS_SDL = `${LINK}
type Store @key(fields: "id") {
  id: ID!
  rating: Int @authenticated
  reviews: [Review!]!
}
type Review { text: String! author: String @requiresScopes(scopes: [["members:pii"]]) }
type Mutation { postReview(storeId: ID!, text: String!): Review @authenticated }
`;

function compose(stores = "http://stores.invalid/graphql", reviews = "http://reviews.invalid/graphql", sdls = [STORES_SDL, REVIEWS_SDL]) {
  const result = composeServices([
    { name: "stores", typeDefs: parse(sdls[0]!), url: stores },
    { name: "reviews", typeDefs: parse(sdls[1]!), url: reviews },
  ]);
  if (result.errors) throw new Error(result.errors.map(String).join("\n"));
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

const anonymous: Caller = ANONYMOUS;
const member: Caller = { ...ANONYMOUS, memberId: "m-1", scopes: ["orders:read", "orders:write", "payments:write", "members:read", "members:pii"] };
const key = (...scopes: string[]): Caller => ({ ...ANONYMOUS, keyId: "k-1", retailerId: "r-1", scopes });
const service: Caller = { ...ANONYMOUS, service: "payments", scopes: ["inventory:read"] };

describe("access rules read from the supergraph", () => {
  const { supergraphSdl } = compose();
  const rules = accessRules(supergraphSdl);

  it("finds the directives under the names the supergraph links them as", () => {
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(rules.directives).toEqual({ authenticated: "authenticated", requiresScopes: "requiresScopes" });
  });

  it("follows a rename through the link's import", () => {
    const link = LINK.replace(`"@authenticated", "@requiresScopes"`, `{ name: "@authenticated", as: "@signedIn" }, { name: "@requiresScopes", as: "@scoped" }`);
    const renamed = (sdl: string) => link + sdl.slice(LINK.length).replaceAll("@authenticated", "@signedIn").replaceAll("@requiresScopes(", "@scoped(");
    const sdl = compose(undefined, undefined, [renamed(STORES_SDL), renamed(REVIEWS_SDL)]).supergraphSdl;
    expect(sdl).toContain(`import: [{name: "@authenticated", as: "@signedIn"}]`);
    const renamedRules = accessRules(sdl);
    expect(renamedRules.directives).toEqual({ authenticated: "signedIn", requiresScopes: "scoped" });
    expect([...renamedRules.fields.keys()].sort()).toEqual([...rules.fields.keys()].sort());
  });

  it("makes @apollo/gateway accept the two features, and no other security feature", () => {
    // @apollo/gateway refuses what it does not enforce; withAuthorization hands it this version.
    expect(() => Supergraph.build(supergraphSdl)).toThrow(/authenticated\/v0.1 is for: SECURITY but is unsupported/);
    const accepted = enforcedHere(supergraphSdl);
    expect(() => Supergraph.build(accepted)).not.toThrow();
    expect(accepted).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
    expect(accessRules(accepted).fields).toEqual(rules.fields);
    const policy = accepted.replace('@link(url: "https://specs.apollo.dev/authenticated/v0.1")', '$&\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)');
    expect(() => Supergraph.build(enforcedHere(policy))).toThrow(/policy\/v0.1 is for: SECURITY but is unsupported/);
  });

  it("gives each field its own requirement, its parent type's and its return type's", () => {
    expect(rules.fields.get("Store.stock")).toEqual({ authenticated: false, scopes: [[["inventory:read"]]] });
    expect(rules.fields.get("Store.revenue")).toEqual({ authenticated: false, scopes: [[["orders:read", "payments:write"], ["admin"]]] });
    expect(rules.fields.get("Store.rating")).toEqual({ authenticated: true, scopes: [] }); // from the other subgraph
    expect(rules.fields.get("Store.manager")?.authenticated).toBe(true); // returns the @authenticated Manager
    expect(rules.fields.get("Manager.name")?.authenticated).toBe(true); // selected on it
    // Composition makes the interface as restricted as its most restricted implementation.
    expect(rules.fields.get("Query.node")?.authenticated).toBe(true);
    expect(rules.fields.has("Store.name")).toBe(false);
    expect(rules.fields.has("Query.search")).toBe(false);
  });
});

describe("authorizeOperation", () => {
  const { supergraphSdl, apiSchema } = compose();
  const rules = accessRules(supergraphSdl);
  const authorize = (query: string, caller: Caller, variables: Record<string, unknown> = {}, operationName?: string) =>
    authorizeOperation(rules, apiSchema, parse(query), operationName, caller, variables);
  const codes = (result: ReturnType<typeof authorize>) => result.errors.map((e) => [e.path?.join("."), e.extensions.code]);

  it("returns the very same document when nothing is denied", () => {
    const document = parse(`{ stores { name stock { total } revenue rating } }`);
    const result = authorizeOperation(rules, apiSchema, document, undefined, key("inventory:read", "admin"), {});
    expect(result.document).toBe(document);
    expect(result).toMatchObject({ denied: [], errors: [], empty: false });
  });

  it("removes denied fields, adds __typename where a set changed and reports each field once (paths without list indices)", () => {
    const result = authorize(`{ stores { name rating stock { total } } search { __typename } }`, anonymous);
    expect(print(result.document)).toBe(print(parse(`{ stores { name ${TYPENAME_KEY}: __typename } search { __typename } ${TYPENAME_KEY}: __typename }`)));
    expect(codes(result)).toEqual([
      ["stores.rating", "UNAUTHENTICATED"],
      ["stores.stock", "UNAUTHENTICATED"],
    ]);
    expect(result.errors[0]?.message).toBe("Store.rating needs a signed-in member or an API key.");
    expect(result.errors[0]?.locations).toEqual([{ line: 1, column: 17 }]);
  });

  it("evaluates (a AND b) OR c: UNAUTHENTICATED without credentials, FORBIDDEN without the scopes", () => {
    const query = `{ store(id: "s1") { revenue } }`;
    expect(codes(authorize(query, anonymous))).toEqual([["store.revenue", "UNAUTHENTICATED"]]);
    expect(codes(authorize(query, key("orders:read")))).toEqual([["store.revenue", "FORBIDDEN"]]);
    expect(authorize(query, key("orders:read")).errors[0]?.message).toBe("Store.revenue needs the scopes orders:read and payments:write, or the admin scope.");
    expect(codes(authorize(query, key("orders:read", "payments:write")))).toEqual([]);
    expect(codes(authorize(query, key("admin")))).toEqual([]);
    expect(codes(authorize(query, member))).toEqual([]); // members hold orders:read and payments:write
  });

  it("treats a sibling service as not authenticated: it is no client of the gateway", () => {
    expect(codes(authorize(`{ store(id: "s1") { stock { total } rating } }`, service))).toEqual([
      ["store.stock", "UNAUTHENTICATED"],
      ["store.rating", "UNAUTHENTICATED"],
    ]);
  });

  it("applies a type's directive to the fields returning it and to the fields selected on it", () => {
    expect(codes(authorize(`{ store(id: "s1") { manager { name } } }`, anonymous))).toEqual([["store.manager", "UNAUTHENTICATED"]]);
    const union = authorize(`{ search { ... on Store { name } ... on Manager { name } } }`, anonymous);
    expect(codes(union)).toEqual([["search.name", "UNAUTHENTICATED"]]);
    expect(union.denied[0]?.path.at(-1)?.on).toEqual(["Manager"]); // only Managers get name: null
    expect(codes(authorize(`{ search { ... on Manager { name } } }`, key()))).toEqual([]);
  });

  it("rewrites a fragment once wherever it is spread, and reports every place", () => {
    const result = authorize(`{ a: store(id: "1") { ...F } b: store(id: "2") { ...F } } fragment F on Store { name rating }`, anonymous);
    expect(print(result.document)).toBe(
      print(parse(`{ a: store(id: "1") { ...F ${TYPENAME_KEY}: __typename } b: store(id: "2") { ...F ${TYPENAME_KEY}: __typename } ${TYPENAME_KEY}: __typename } fragment F on Store { name ${TYPENAME_KEY}: __typename }`)),
    );
    expect(codes(result)).toEqual([
      ["a.rating", "UNAUTHENTICATED"],
      ["b.rating", "UNAUTHENTICATED"],
    ]);
  });

  it("drops variables and fragments only the denied fields used, and honours @skip/@include", () => {
    const result = authorize(
      `query Q($first: Int, $show: Boolean!) { store(id: "1") { name stock(first: $first) { ...S } rating @include(if: $show) } } fragment S on StockConnection { total }`,
      anonymous,
      { show: false },
      "Q",
    );
    expect(print(result.document)).toBe(print(parse(`query Q { store(id: "1") { name ${TYPENAME_KEY}: __typename } ${TYPENAME_KEY}: __typename }`)));
    expect(codes(result)).toEqual([["store.stock", "UNAUTHENTICATED"]]); // rating was not asked for
  });

  it("marks an operation with nothing left to run as empty, also through a fragment", () => {
    const whole = authorize(`mutation { setStock(storeId: "1", quantity: 3) }`, key("inventory:read"));
    expect(whole).toMatchObject({ empty: true });
    expect(codes(whole)).toEqual([["setStock", "FORBIDDEN"]]);
    expect(authorize(`mutation { ...M } fragment M on Mutation { setStock(storeId: "1", quantity: 3) }`, anonymous).empty).toBe(true);
    const partly = authorize(`mutation { renameStore(storeId: "1", name: "x") { name } setStock(storeId: "1", quantity: 3) }`, key("inventory:read"));
    expect(partly.empty).toBe(false);
    expect(print(partly.document)).not.toContain("setStock");
  });
});

describe("restoreDenied", () => {
  const { supergraphSdl, apiSchema } = compose();
  const rules = accessRules(supergraphSdl);
  const restore = (query: string, caller: Caller, data: Record<string, unknown>) =>
    restoreDenied(data, authorizeOperation(rules, apiSchema, parse(query), undefined, caller).denied);
  const T = TYPENAME_KEY;

  it("puts null at every list item and removes the added __typename", () => {
    const data = { stores: [{ name: "A", [T]: "Store" }, { name: "B", [T]: "Store" }], [T]: "Query" };
    expect(restore(`{ stores { name rating } }`, anonymous, data)).toEqual({ stores: [{ name: "A", rating: null }, { name: "B", rating: null }] });
  });

  it("propagates a denied non-null field to the nearest nullable parent", () => {
    const data = { store: { name: "A", [T]: "Store" }, stores: [{ name: "A", [T]: "Store" }], [T]: "Query" };
    expect(restore(`{ store(id: "1") { name stock { total } } stores { name } }`, anonymous, data)).toEqual({ store: null, stores: [{ name: "A" }] });
  });

  it("propagates through non-null list items and fields up to data itself", () => {
    const data = { stores: [{ name: "A", [T]: "Store" }], [T]: "Query" };
    expect(restore(`{ stores { name stock { total } } }`, anonymous, data)).toBeNull();
    expect(restore(`{ auditCount store(id: "1") { name } }`, key(), { store: { name: "A" } })).toBeNull();
  });

  it("restores nulls inside nested lists, one level per list", () => {
    const data = { stores: [{ reviews: [{ text: "ok", [T]: "Review" }], [T]: "Store" }], [T]: "Query" };
    expect(restore(`{ stores { reviews { text author } } }`, key(), data)).toEqual({ stores: [{ reviews: [{ text: "ok", author: null }] }] });
  });

  it("nulls a field denied under a type condition only on objects of that type", () => {
    const data = { search: [{ name: "A", [T]: "Store" }, { [T]: "Manager" }, { name: "B", [T]: "Store" }], [T]: "Query" };
    expect(restore(`{ search { ... on Store { name } ... on Manager { name } } }`, anonymous, data)).toEqual({
      search: [{ name: "A" }, { name: null }, { name: "B" }],
    });
  });

  it("leaves null objects alone and answers an operation that never ran", () => {
    expect(restore(`{ store(id: "1") { name rating } }`, anonymous, { store: null, [T]: "Query" })).toEqual({ store: null });
    const result = authorizeOperation(rules, apiSchema, parse(`mutation { postReview(storeId: "1", text: "hi") { text } }`), undefined, anonymous);
    expect(restoreDenied({}, result.denied)).toEqual({ postReview: null });
  });
});

describe("through the gateway, end to end", () => {
  const counts = { stores: 0, reviews: 0, stock: 0, rating: 0, setStock: 0, postReview: 0 };
  const stores = [
    { id: "s1", name: "Xuhui" },
    { id: "s2", name: "Jing'an" },
  ];
  const stopAll: (() => Promise<void>)[] = [];
  let url = "";

  const counting = (name: "stores" | "reviews"): ApolloServerPlugin => ({
    async requestDidStart() {
      counts[name]++;
    },
  });
  const subgraph = async (name: "stores" | "reviews", typeDefs: string, resolvers: GraphQLResolverMap<unknown>) => {
    const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }), plugins: [counting(name)] });
    const { url } = await startStandaloneServer(server, { listen: { port: 0 } });
    stopAll.push(() => server.stop());
    return url;
  };

  // x-test-caller: "member", "key:scope,scope" or nothing (anonymous).
  const callerOf = (header: string | string[] | undefined): Caller => {
    if (header === "member") return member;
    if (typeof header === "string" && header.startsWith("key:")) return key(...header.slice(4).split(",").filter(Boolean));
    return anonymous;
  };

  beforeAll(async () => {
    const storesUrl = await subgraph("stores", STORES_SDL, {
      Query: {
        stores: () => stores,
        store: (_: unknown, { id }: { id: string }) => stores.find((s) => s.id === id) ?? null,
      },
      Store: {
        __resolveReference: (ref: { id: string }) => stores.find((s) => s.id === ref.id),
        stock: () => (counts.stock++, { total: 42 }),
        revenue: () => 1000,
      },
      Mutation: {
        setStock: (_: unknown, { quantity }: { quantity: number }) => (counts.setStock++, quantity),
        renameStore: (_: unknown, { storeId, name }: { storeId: string; name: string }) => ({ id: storeId, name }),
      },
    });
    const reviewsUrl = await subgraph("reviews", REVIEWS_SDL, {
      Store: {
        rating: () => (counts.rating++, 5),
        reviews: () => [{ text: "good", author: "Ann" }],
      },
      Mutation: { postReview: (_: unknown, { text }: { text: string }) => (counts.postReview++, { text, author: "me" }) },
    });
    const gateway = new ApolloGateway({ supergraphSdl: enforcedHere(compose(storesUrl, reviewsUrl).supergraphSdl) }); // as plan.ts hands it over
    const server = new ApolloServer<{ caller: Caller }>({ gateway: withAuthorization(gateway) });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0 }, context: async ({ req }) => ({ caller: callerOf(req.headers["x-test-caller"]) }) }));
    stopAll.unshift(() => server.stop());
  });
  afterAll(async () => {
    for (const stop of stopAll) await stop();
  });

  interface Answer {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  }
  const post = async (query: string, caller?: string): Promise<Answer> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(caller ? { "x-test-caller": caller } : {}) },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  };
  const codes = (answer: Answer) => (answer.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);

  it("answers denied fields with null and a coded error, and the rest of the data", async () => {
    const before = { ...counts };
    const answer = await post(`{ stores { id name rating } store(id: "s1") { name stock { total } } }`);
    expect(answer.data).toEqual({
      stores: [
        { id: "s1", name: "Xuhui", rating: null },
        { id: "s2", name: "Jing'an", rating: null },
      ],
      store: null, // stock is non-null: its store becomes null
    });
    expect(codes(answer)).toEqual([
      ["stores.rating", "UNAUTHENTICATED"],
      ["store.stock", "UNAUTHENTICATED"],
    ]);
    expect(JSON.stringify(answer)).not.toContain(TYPENAME_KEY);
    // The denied fields were never asked for: reviews (which serves only rating here) got no request.
    expect(counts).toMatchObject({ reviews: before.reviews, stock: before.stock, rating: before.rating, stores: before.stores + 1 });
  });

  it("answers FORBIDDEN to a caller without the scopes, inside lists too", async () => {
    const answer = await post(`{ store(id: "s2") { name revenue reviews { text author } } }`, "key:orders:read");
    expect(answer.data).toEqual({ store: { name: "Jing'an", revenue: null, reviews: [{ text: "good", author: null }] } });
    expect(codes(answer)).toEqual([
      ["store.revenue", "FORBIDDEN"],
      ["store.reviews.author", "FORBIDDEN"],
    ]);
    expect((await post(`{ store(id: "s2") { revenue reviews { author } } }`, "member")).data).toEqual({ store: { revenue: 1000, reviews: [{ author: "Ann" }] } });
  });

  it("never sends a denied mutation to its subgraph", async () => {
    const before = { ...counts };
    const answer = await post(`mutation { setStock(storeId: "s1", quantity: 5) }`, "key:inventory:read");
    expect(answer.data).toBeNull(); // setStock is non-null
    expect(codes(answer)).toEqual([["setStock", "FORBIDDEN"]]);
    expect(counts).toEqual(before); // no subgraph request at all

    const mixed = await post(`mutation { postReview(storeId: "s1", text: "fine") { text } setStock(storeId: "s1", quantity: 5) }`, "member");
    expect(mixed).toEqual({ data: null, errors: [expect.objectContaining({ path: ["setStock"], extensions: { code: "FORBIDDEN" } })] });
    expect(counts.postReview).toBe(before.postReview + 1); // the allowed mutation ran
    expect(counts.setStock).toBe(0);

    const allowed = await post(`mutation { setStock(storeId: "s1", quantity: 5) }`, "key:inventory:write");
    expect(allowed).toEqual({ data: { setStock: 5 } });
    expect(counts.setStock).toBe(1);
  });

  it("does not share query plans between callers with different scopes", async () => {
    const query = `query Stock { store(id: "s1") { name stock { total } } }`;
    const scoped = await post(query, "key:inventory:read");
    expect(scoped).toEqual({ data: { store: { name: "Xuhui", stock: { total: 42 } } } });
    const stock = counts.stock;
    const unscoped = await post(query, "key:");
    expect(unscoped.data).toEqual({ store: null });
    expect(codes(unscoped)).toEqual([["store.stock", "FORBIDDEN"]]);
    expect(counts.stock).toBe(stock);

    // And the other way round: a plan made without the field must not serve a caller allowed to see it.
    const other = `query StockAgain { store(id: "s2") { name stock { total } } }`;
    expect((await post(other, "key:")).data).toEqual({ store: null });
    expect(await post(other, "key:inventory:read")).toEqual({ data: { store: { name: "Jing'an", stock: { total: 42 } } } });
    expect(counts.stock).toBe(stock + 1);
  });
});
