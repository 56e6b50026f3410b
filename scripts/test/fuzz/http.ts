import type { Rng } from "./random.ts";
import { postJson, type CallerName, type FuzzAnswer, type FuzzRequest } from "./request.ts";

/** Over the runtime's body limit (http.ts MAX_BODY_BYTES, 1 MB by default). */
const OVERSIZED = 1_000_000;

const MALFORMED_JSON = ['{ "query": ', "{query: \"{ __typename }\"}", "[1, 2", '"', "\u0000", "{ not json", '{"query": "{ __typename }"} trailing', "\ufeff{\"query\":\"{ __typename }\"}", "{\"query\": \"\\x\"}", "NaN", "{'query': '{ __typename }'}", `${"[".repeat(20_000)}${"]".repeat(20_000)}`, '{"query": "{ __typename }",}'];
const CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/graphql", "application/xml", "application/octet-stream", "", "application/json; charset=latin1", "application/jsonp"];
const NOT_STRINGS: unknown[] = [42, {}, [], null, true, { query: "{ __typename }" }, ["{ __typename }"]];
const BAD_AUTH = ["Bearer ", "Bearer garbage", "Bearer mt_forged.token", "Basic dXNlcjpwYXNz", "Bearer o2o_live_0000000000000000", "bearer", "Bearer " + "x".repeat(10_000), "Token abc"];

/** Requests wrong at the HTTP level: the body, its type, its size, the method, the envelope's fields, the credential. */
export function httpRequest(rng: Rng, caller: CallerName): FuzzRequest {
  const roll = rng.int(0, 13);
  const valid = JSON.stringify({ query: "{ __typename }" });
  switch (roll) {
    case 0:
      return { kind: "http.malformedJson", method: "POST", caller, headers: { "content-type": "application/json" }, body: rng.pick(MALFORMED_JSON) };
    case 1:
      return { kind: "http.contentType", method: "POST", caller, headers: { "content-type": rng.pick(CONTENT_TYPES) }, body: rng.pick([valid, "query={__typename}", "{ __typename }"]) };
    case 2:
      return { kind: "http.empty", method: "POST", caller, headers: rng.chance(0.7) ? { "content-type": "application/json" } : {}, body: rng.pick(["", "{}", "null", "[]", " ", '""']) };
    case 3: {
      const size = OVERSIZED + rng.int(1, 200_000);
      const body = rng.chance(0.5) ? JSON.stringify({ query: `# ${"x".repeat(size)}\n{ __typename }` }) : "y".repeat(size);
      return { kind: "http.oversized", method: "POST", caller, headers: { "content-type": "application/json" }, body };
    }
    case 4: {
      const mutation = rng.pick(["mutation { checkInAtStore(storeId: \"00000000-0000-4000-8000-000000000000\") { firstToday } }", "mutation M { revokeApiKey(id: \"x\") { id } }", "mutation($id: ID!) { rotateApiKey(id: $id) { secret } }"]);
      return { kind: "http.getMutation", method: "GET", caller, path: `/graphql?query=${encodeURIComponent(mutation)}`, headers: preflight(rng) };
    }
    case 5: {
      const search = rng.pick([
        `query=${encodeURIComponent("{ __typename }")}&variables=not-json`,
        `query=${encodeURIComponent("{ __typename }")}&extensions=${encodeURIComponent('{"persistedQuery":1}')}`,
        "query=",
        "",
        `query=${encodeURIComponent("{ products(first: -1) { edges { cursor } } }")}`,
        `query=%E0%A4%A&x=1`,
        `query=${encodeURIComponent("{ __typename }")}&query=${encodeURIComponent("{ me { id } }")}`,
        `variables=${encodeURIComponent("[1]")}&query=${encodeURIComponent("query($a: Int) { __typename }")}`,
      ]);
      return { kind: "http.get", method: "GET", caller, path: `/graphql?${search}`, headers: preflight(rng) };
    }
    case 6:
      return postJson("http.batch", caller, Array.from({ length: rng.int(0, 5) }, () => ({ query: "{ __typename }" })));
    case 7:
      return postJson("http.queryNotString", caller, { query: rng.pick(NOT_STRINGS) });
    case 8:
      return postJson("http.variablesNotObject", caller, { query: "query($n: Int) { products(first: $n) { edges { cursor } } }", variables: rng.pick<unknown>([[1, 2], "n=1", 7, true, "{\"n\": 1}"]) });
    case 9:
      return postJson("http.operationName", caller, { query: "query A { __typename } query B { __typename }", operationName: rng.pick<unknown>([null, 42, "C", ["A"], ""]) });
    case 10:
      return postJson("http.persisted", caller, {
        ...(rng.chance(0.5) ? { query: "{ __typename }" } : {}),
        extensions: rng.pick<unknown>([
          { persistedQuery: { version: 1, sha256Hash: rng.text(64, "0123456789abcdef") } },
          { persistedQuery: { version: 2, sha256Hash: "x" } },
          { persistedQuery: "yes" },
          { persistedQuery: { version: 1 } },
          "extensions",
        ]),
      });
    case 11:
      return { kind: "http.badAuth", method: "POST", caller: "anonymous", headers: { "content-type": "application/json", authorization: rng.pick(BAD_AUTH) }, body: valid };
    case 12:
      return { kind: "http.method", method: rng.pick(["PUT", "DELETE"] as const), caller, headers: { "content-type": "application/json" }, body: valid };
    default:
      return { kind: "http.path", method: rng.pick(["GET", "POST"] as const), caller, path: rng.pick(["/nope", "/graphql/x", "/GRAPHQL", "/graphql%00", "/..%2f..%2fetc"]), headers: { "content-type": "application/json" }, body: valid };
  }
}

/**
 * Requests that once broke an answer (a 500, a masked INTERNAL_SERVER_ERROR, a reset connection): sent first in every
 * run, whatever the seed, so they stay fixed.
 */
export function regressions(): FuzzRequest[] {
  return [
    postJson("pinned.subscription", "anonymous", { query: "subscription { products { edges { cursor } } }" }),
    postJson("pinned.emptyOperationName", "member", { query: "query A { __typename } query B { __typename }", operationName: "" }),
    postJson("pinned.noOperationName", "member", { query: "query A { __typename } query B { __typename }" }),
    postJson("pinned.persistedVersion", "anonymous", { query: "{ __typename }", extensions: { persistedQuery: { version: 2, sha256Hash: "x" } } }),
    postJson("pinned.persistedNotObject", "anonymous", { extensions: { persistedQuery: "yes" } }),
    postJson("pinned.persistedHashMismatch", "anonymous", { query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }),
    postJson("pinned.nulLiteral", "member", { query: '{ product(sku: "\\u0000") { id } }' }),
    postJson("pinned.nulVariable", "anonymous", { query: "query($s: String) { product(sku: $s) { id } }", variables: { s: "a\u0000b" } }),
    postJson("pinned.maxCost", "anonymous", { query: "{ products(first: 2147483647) { edges { cursor } } }" }),
    { kind: "pinned.oversized", method: "POST", caller: "anonymous", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `# ${"x".repeat(OVERSIZED)}\n{ __typename }` }) },
  ];
}

/** GET requests need a header Apollo's CSRF protection accepts; without it they are refused (also worth sending). */
function preflight(rng: Rng): Record<string, string> {
  return rng.chance(0.8) ? { "apollo-require-preflight": "true" } : {};
}

/** Sends one request; a missing HTTP answer (reset, timeout) is reported, not thrown. */
export async function send(base: string, request: FuzzRequest, auth: Record<string, string>): Promise<FuzzAnswer> {
  const url = new URL(request.path ?? "/graphql", base).toString();
  try {
    const res = await fetch(url, {
      method: request.method,
      headers: { ...auth, ...request.headers },
      ...(request.method === "GET" ? {} : { body: request.body ?? "" }),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { transportError: `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}` };
  }
}
