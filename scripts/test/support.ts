import { startGateway, type RunningGateway } from "@o2o/gateway";
import { signMemberToken } from "@o2o/gateway/auth";
import type { GatewayConfig } from "@o2o/gateway/config";
import { memoryBucket, type Bucket } from "@o2o/gateway/throttle";
import { randomUUID } from "node:crypto";
import { demoMemberId, demoRetailerId, demoStoreId, isId, MemoryBus, readMetric, RedisBus, redisCache, withSqlTransaction, type Scope } from "@o2o/runtime";
import { keyAdmin } from "@o2o/stores/key-admin";
import { createTestDatabase, postGraphQL, type TestDatabase } from "@o2o/runtime/testing";
import { startSupergraph, type RunningSupergraph } from "../src/supergraph.ts";

/**
 * The whole supergraph for one test file: a fresh database (PGlite, or a throwaway PostgreSQL
 * database when DATABASE_URL is set), migrated and seeded, five subgraphs and the gateway on free ports.
 */
export interface TestSupergraph {
  supergraph: RunningSupergraph;
  url: string;
  query<D = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): ReturnType<typeof postGraphQL<D>>;
  /** Authorization header for a demo member (aiko, wei, minh, sofia). */
  as(member: string): Record<string, string>;
  /**
   * Authorization header with a fresh API key holding `scopes`: of a demo retailer (`hoshi`, `meridian`,
   * `freshway`…) or a retailer id, or a platform key when none is given. Options as in createApiKey.
   */
  key(scopes: Scope[], retailer?: string | null, options?: { tier?: "FREE" | "STANDARD" | "PLUS" | "ENTERPRISE"; safelistOnly?: boolean; expiresAt?: Date; store?: string }): Promise<TestKey>;
  /**
   * Another gateway replica over the same subgraphs. With REDIS_URL it has its own Redis connections
   * (cache, buckets), as a second process would; embedded, it shares the process's cache and buckets.
   */
  replica(overrides?: Partial<GatewayConfig>, deps?: { bucket?: Bucket }): Promise<RunningGateway>;
  /** A SQL statement against the test database (all subgraphs' schemas), to set up stock and check writes. */
  sql<R = Record<string, unknown>>(query: string, params?: unknown[]): Promise<R[]>;
  /** Sum of a Prometheus counter across the process (all subgraphs share one registry). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** A fresh API key: its Authorization header, id (for admin calls), prefix and secret (for log checks). */
export type TestKey = { headers: Record<string, string>; id: string; prefix: string; secret: string };

export async function startTestSupergraph(): Promise<TestSupergraph> {
  const db: TestDatabase = await createTestDatabase();
  // Each test file its own event stream, so runs sharing one Redis never see each other's events.
  const stream = `o2o:test:${randomUUID()}`;
  const bus = process.env.REDIS_URL ? new RedisBus(process.env.REDIS_URL, stream) : new MemoryBus();
  // And its own cache namespace: test databases share demo ids, so one file's cached answers must not reach another.
  const cachePrefix = `o2o:test:${randomUUID()}:`;
  const sharedCache = () => (process.env.REDIS_URL ? redisCache(process.env.REDIS_URL, cachePrefix) : undefined);
  const bucket = process.env.REDIS_URL ? undefined : memoryBucket();
  // Anonymous and member callers get a big bucket here so unrelated tests are never throttled; fair-use tests use FREE keys.
  // Introspection stays open here whatever the mode; the persisted-operations test starts a "scoped" replica.
  const gateway = { anonymousTier: "ENTERPRISE", memberTier: "ENTERPRISE", introspection: "open" } as const;
  const supergraph = await startSupergraph({ target: db.target, ports: "any", seed: true, bus, bucket, gateway, cache: sharedCache() });
  const replicas: { stop(): Promise<void> }[] = [];
  const metricsUrl = new URL("/metrics", supergraph.gatewayUrl).toString();
  const keys = keyAdmin(db.target, supergraph.wiring.cache);
  return {
    supergraph,
    url: supergraph.gatewayUrl,
    query: (query, variables = {}, headers = {}) => postGraphQL(supergraph.gatewayUrl, query, variables, headers),
    as: (member) => ({ authorization: `Bearer ${signMemberToken(demoMemberId(member))}` }),
    key: async (scopes, retailer, options = {}) => {
      const retailerId = retailer ? (retailer.includes("-") ? retailer : demoRetailerId(retailer)) : null;
      // `store` (a demo store key or a store id) binds the key to that one store: a device key.
      const { store, ...rest } = options;
      const storeId = store ? (isId(store) ? store : demoStoreId(store)) : null;
      const made = await keys.create({ name: `test ${scopes.join(" ")}`.slice(0, 100), scopes, retailerId, storeId, ...rest });
      if (!made.apiKey || !made.secret) throw new Error(`could not create a test key: ${JSON.stringify(made.userErrors)}`);
      return { headers: { authorization: `Bearer ${made.secret}` }, id: made.apiKey.id, prefix: made.apiKey.prefix, secret: made.secret };
    },
    replica: async (overrides = {}, deps = {}) => {
      const cache = sharedCache();
      const replica = await startGateway({ ...supergraph.gatewayConfig, ...overrides, port: 0 }, { cache: cache ?? supergraph.wiring.cache, bucket: deps.bucket ?? bucket });
      replicas.push({ stop: async () => (await replica.stop(), await cache?.close()) });
      return replica;
    },
    sql: (query, params = []) => withSqlTransaction(db.target, (tx) => tx.query(query, params)),
    metric: async (name, labels = {}) => readMetric(await (await fetch(metricsUrl)).text(), name, labels),
    stop: async () => {
      if (bus instanceof RedisBus) await bus.dropStream();
      await Promise.all(replicas.map((r) => r.stop()));
      await supergraph.stop();
      await keys.close();
      await db.drop();
    },
  };
}

/** Tomorrow's date in Tokyo, where every demo store is. */
export function tomorrowInTokyo(): string {
  return new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
}

/** Polls `read` until `done` holds (events are asynchronous); fails with the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
