import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { memoryCache, redisCache, type Cache } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_PERSISTED_OPERATIONS } from "../src/config.ts";
import { APQ_KEY_PREFIX, isSafelisted, loadManifest, parseManifest, persistedQueryCache, safelistPlugin, type PersistedManifest } from "../src/persisted.ts";

// A real Apollo Server over HTTP with a tiny schema (not the gateway): the manifest by id, APQ in the
// shared cache (and across two servers through Redis), and safelist-only callers (header x-safelist-only).
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const HELLO = "query Hello($name: String) {\n  hello(name: $name)\n}";
const GOODBYE = "mutation Goodbye {\n  goodbye\n}";
const manifest = parseManifest({
  format: "apollo-persisted-query-manifest",
  version: 1,
  operations: [
    { id: sha256(HELLO), name: "Hello", type: "query", body: HELLO },
    { id: sha256(GOODBYE), name: "Goodbye", type: "mutation", body: GOODBYE },
  ],
});

interface TestContext {
  safelistOnly: boolean;
}
interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}
interface TestServer {
  url: string;
  /** Resolver calls so far: a refused operation must not add any. */
  calls(): number;
  /** didResolveOperation calls of a plugin listed after the safelist plugin (like fair use). */
  laterPluginCalls(): number;
  stop(): Promise<void>;
}

async function startServer(cache: Cache): Promise<TestServer> {
  let calls = 0;
  let laterPluginCalls = 0;
  const later: ApolloServerPlugin<TestContext> = {
    async requestDidStart() {
      return { didResolveOperation: async () => void laterPluginCalls++ };
    },
  };
  const server = new ApolloServer<TestContext>({
    typeDefs: "type Query { hello(name: String): String! } type Mutation { goodbye: String! }",
    resolvers: {
      Query: { hello: (_: unknown, { name }: { name?: string | null }) => (calls++, `hello ${name ?? "world"}`) },
      Mutation: { goodbye: () => (calls++, "goodbye") },
    },
    persistedQueries: { cache: persistedQueryCache(manifest, cache) },
    plugins: [safelistPlugin(manifest, (ctx: TestContext) => ctx.safelistOnly), later],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0 },
    context: async ({ req }) => ({ safelistOnly: req.headers["x-safelist-only"] === "yes" }),
  });
  return { url, calls: () => calls, laterPluginCalls: () => laterPluginCalls, stop: () => server.stop() };
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as Omit<Answer, "status">) };
}
const byHash = (hash: string, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const register = (query: string) => ({ query, ...byHash(sha256(query)) });
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;
const SAFELIST_ONLY = { "x-safelist-only": "yes" };
/** A query no one has registered yet. */
const freshQuery = () => `{ hello(name: "apq-${randomUUID()}") }`;

describe("loading a manifest", () => {
  it("accepts the checked-in schema/persisted-operations.json", () => {
    const loaded = loadManifest(DEFAULT_PERSISTED_OPERATIONS);
    expect(loaded.operations.length).toBeGreaterThan(0);
    for (const op of loaded.operations) expect(loaded.byId.get(sha256(op.body))).toBe(op);
  });

  const good = { id: sha256(HELLO), name: "Hello", type: "query", body: HELLO };
  const refusal = (json: unknown) => () => parseManifest(json, "test.json");
  it.each([
    ["a wrong format", { format: "persisted-queries", version: 1, operations: [] }, /format is "persisted-queries"/],
    ["another version", { format: "apollo-persisted-query-manifest", version: 2, operations: [] }, /only version 1/],
    ["no operations array", { format: "apollo-persisted-query-manifest", version: 1 }, /operations is not an array/],
    ["an id that is not the body's SHA-256", { format: "apollo-persisted-query-manifest", version: 1, operations: [{ ...good, id: sha256("other") }] }, /\(Hello\): id is not the SHA-256 of the body/],
    ["an unknown type", { format: "apollo-persisted-query-manifest", version: 1, operations: [{ ...good, type: "read" }] }, /type is "read"/],
    ["a body whose operation has another name", { format: "apollo-persisted-query-manifest", version: 1, operations: [{ ...good, name: "Hi" }] }, /exactly one query named Hi/],
    ["a body that does not parse", { format: "apollo-persisted-query-manifest", version: 1, operations: [{ ...good, body: "query {", id: sha256("query {") }] }, /body does not parse/],
    ["an operation listed twice", { format: "apollo-persisted-query-manifest", version: 1, operations: [good, good] }, /appears twice/],
  ])("refuses %s, naming the file and the problem", (_, json, message) => {
    expect(refusal(json)).toThrow(/Invalid persisted-operation manifest test\.json/);
    expect(refusal(json)).toThrow(message);
  });

  it("refuses a file that is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "o2o-manifest-"));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    expect(() => loadManifest(join(dir, "missing.json"))).toThrow(/Cannot read the persisted-operation manifest .*missing\.json/);
    expect(() => loadManifest(join(dir, "broken.json"))).toThrow(/Cannot read the persisted-operation manifest .*broken\.json/);
  });
});

describe("the persisted-query cache", () => {
  function spied() {
    const inner = memoryCache();
    const seen: string[] = [];
    const cache: Cache = {
      get: (key) => (seen.push(`get ${key}`), inner.get(key)),
      set: (key, value, ttl) => (seen.push(`set ${key} ${ttl}`), inner.set(key, value, ttl)),
      del: (key) => (seen.push(`del ${key}`), inner.del(key)),
      getMany: (keys) => inner.getMany(keys),
      bump: (keys, ttl) => inner.bump(keys, ttl),
      close: () => inner.close(),
    };
    return { cache, seen };
  }

  it("answers manifest ids from the manifest, with or without Apollo's apq: prefix, and never stores them", async () => {
    const { cache, seen } = spied();
    const apq = persistedQueryCache(manifest, cache);
    expect(await apq.get(`apq:${sha256(HELLO)}`)).toBe(HELLO);
    expect(await apq.get(sha256(GOODBYE))).toBe(GOODBYE);
    await apq.set(`apq:${sha256(HELLO)}`, HELLO);
    expect(seen).toEqual([]);
  });

  it("keeps registrations in the shared cache under o2o:apq:<hash>, for a day unless Apollo gives a ttl", async () => {
    const { cache, seen } = spied();
    const apq = persistedQueryCache(manifest, cache);
    const [a, b] = [freshQuery(), freshQuery()];
    await apq.set(`apq:${sha256(a)}`, a);
    await apq.set(`apq:${sha256(b)}`, b, { ttl: 60 });
    expect(await cache.get(`${APQ_KEY_PREFIX}${sha256(a)}`)).toBe(a);
    expect(await apq.get(`apq:${sha256(b)}`)).toBe(b);
    expect(seen.filter((s) => s.startsWith("set"))).toEqual([`set ${APQ_KEY_PREFIX}${sha256(a)} 86400`, `set ${APQ_KEY_PREFIX}${sha256(b)} 60`]);
  });

  it("stores nothing under a hash that is not its body's, and looks nothing up for a key that is not a SHA-256", async () => {
    const { cache, seen } = spied();
    const apq = persistedQueryCache(manifest, cache);
    await apq.set(`apq:${sha256("{ hello }")}`, "{ hello(name: \"planted\") }");
    expect(await apq.get("apq:not-a-hash")).toBeUndefined();
    expect(await apq.get(`apq:${sha256("{ hello }")}`)).toBeUndefined();
    expect(seen).toEqual([`get ${APQ_KEY_PREFIX}${sha256("{ hello }")}`]);
  });
});

describe("isSafelisted", () => {
  it("holds for a manifest id, or exactly a manifest body (with its hash or none); never for anything else", () => {
    expect(isSafelisted(manifest, undefined, sha256(HELLO))).toBe(true);
    expect(isSafelisted(manifest, HELLO, undefined)).toBe(true);
    expect(isSafelisted(manifest, HELLO, sha256(HELLO))).toBe(true);
    expect(isSafelisted(manifest, HELLO, sha256(GOODBYE))).toBe(false);
    expect(isSafelisted(manifest, `${HELLO} `, undefined)).toBe(false); // other whitespace: another document
    expect(isSafelisted(manifest, "{ hello }", undefined)).toBe(false);
    expect(isSafelisted(manifest, undefined, sha256("{ hello }"))).toBe(false);
    expect(isSafelisted(manifest, undefined, undefined)).toBe(false);
  });
});

describe("persisted operations over HTTP (memory cache)", () => {
  let cache: Cache;
  let server: TestServer;
  beforeAll(async () => {
    cache = memoryCache();
    server = await startServer(cache);
  });
  afterAll(async () => {
    await server?.stop();
    await cache?.close();
  });

  it("runs a manifest operation sent by its id alone", async () => {
    const answer = await post(server.url, byHash(sha256(HELLO), { name: "Aiko" }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ hello: "hello Aiko" });
  });

  it("answers an unknown id with PERSISTED_QUERY_NOT_FOUND", async () => {
    expect(codeOf(await post(server.url, byHash(sha256(freshQuery()))))).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("registers an automatic persisted query; afterwards its hash alone works", async () => {
    const query = freshQuery();
    expect(codeOf(await post(server.url, byHash(sha256(query))))).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await post(server.url, register(query))).errors).toBeUndefined();
    await vi.waitFor(async () => expect((await post(server.url, byHash(sha256(query)))).data?.hello).toMatch(/^hello apq-/));
  });

  describe("a safelist-only caller", () => {
    it("runs manifest operations, by id or by exactly the manifest's body", async () => {
      const before = server.calls();
      expect((await post(server.url, byHash(sha256(HELLO)), SAFELIST_ONLY)).data).toEqual({ hello: "hello world" });
      expect((await post(server.url, { query: HELLO, variables: { name: "Ken" } }, SAFELIST_ONLY)).data).toEqual({ hello: "hello Ken" });
      expect((await post(server.url, register(GOODBYE), SAFELIST_ONLY)).data).toEqual({ goodbye: "goodbye" });
      expect(server.calls()).toBe(before + 3);
    });

    it("is refused an ad-hoc operation before anything runs: no resolver, no later plugin", async () => {
      const [calls, laterCalls] = [server.calls(), server.laterPluginCalls()];
      const answer = await post(server.url, { query: "{ hello }" }, SAFELIST_ONLY);
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
      expect(answer.errors?.[0]?.message).toMatch(/only the operations of the persisted-operation manifest/);
      expect(answer.data).toBeUndefined();
      expect(server.calls()).toBe(calls);
      expect(server.laterPluginCalls()).toBe(laterCalls);
    });

    it("is refused a manifest operation sent with other whitespace", async () => {
      const answer = await post(server.url, { query: HELLO.replace("\n  ", " ") }, SAFELIST_ONLY);
      expect(codeOf(answer)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    });

    it("is refused an operation registered through APQ by someone else", async () => {
      const query = freshQuery();
      expect((await post(server.url, register(query))).errors).toBeUndefined();
      await vi.waitFor(async () => expect((await post(server.url, byHash(sha256(query)))).errors).toBeUndefined());
      const calls = server.calls();
      expect(codeOf(await post(server.url, byHash(sha256(query)), SAFELIST_ONLY))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
      expect(server.calls()).toBe(calls);
    });

    it("cannot register an operation through APQ", async () => {
      const query = freshQuery();
      expect(codeOf(await post(server.url, register(query), SAFELIST_ONLY))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
      expect(codeOf(await post(server.url, byHash(sha256(query))))).toBe("PERSISTED_QUERY_NOT_FOUND");
      expect(await cache.get(APQ_KEY_PREFIX + sha256(query))).toBeNull();
    });
  });

  it("lets other callers run ad-hoc operations", async () => {
    expect((await post(server.url, { query: "{ hello }" })).data).toEqual({ hello: "hello world" });
  });
});

describe.runIf(process.env.REDIS_URL)("automatic persisted queries shared through Redis", () => {
  const caches: Cache[] = [];
  const servers: TestServer[] = [];
  const registered: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const cache = redisCache(process.env.REDIS_URL!);
      caches.push(cache);
      // The runtime's Redis cache drops commands until connected: wait until this one answers.
      const probe = `${APQ_KEY_PREFIX}probe:${randomUUID()}`;
      await vi.waitFor(async () => {
        await cache.set(probe, "1", 10);
        expect(await cache.get(probe)).toBe("1");
      });
      await cache.del(probe);
      servers.push(await startServer(cache));
    }
  });
  afterAll(async () => {
    for (const hash of registered) await caches[0]?.del(APQ_KEY_PREFIX + hash);
    for (const server of servers) await server.stop();
    for (const cache of caches) await cache.close();
  });

  it("a query registered on one server runs by hash on a second one", async () => {
    const [first, second] = servers as [TestServer, TestServer];
    const query = freshQuery();
    registered.push(sha256(query));
    expect(codeOf(await post(second.url, byHash(sha256(query))))).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await post(first.url, register(query))).errors).toBeUndefined();
    await vi.waitFor(async () => expect((await post(second.url, byHash(sha256(query)))).data?.hello).toMatch(/^hello apq-/));
    expect(await caches[1]!.get(APQ_KEY_PREFIX + sha256(query))).toBe(query);
  });

  it("a safelist-only caller is still refused it on either server", async () => {
    const query = freshQuery();
    registered.push(sha256(query));
    expect((await post(servers[0]!.url, register(query))).errors).toBeUndefined();
    await vi.waitFor(async () => expect((await post(servers[1]!.url, byHash(sha256(query)))).errors).toBeUndefined());
    expect(codeOf(await post(servers[1]!.url, byHash(sha256(query)), SAFELIST_ONLY))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect((await post(servers[1]!.url, byHash(sha256(HELLO)), SAFELIST_ONLY)).data).toEqual({ hello: "hello world" });
  });
});
