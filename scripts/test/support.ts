import { signMemberToken, signStaffToken, type StaffScope } from "@o2o/gateway/auth";
import { randomUUID } from "node:crypto";
import { demoMemberId, MemoryBus, readMetric, RedisBus, withSqlTransaction } from "@o2o/runtime";
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
  /** Authorization header for store staff holding `scopes` (optionally of one retailer). */
  staff(scopes: StaffScope[], retailerId?: string): Record<string, string>;
  /** A SQL statement against the test database (all subgraphs' schemas), to set up stock and check writes. */
  sql<R = Record<string, unknown>>(query: string, params?: unknown[]): Promise<R[]>;
  /** Sum of a Prometheus counter across the process (all subgraphs share one registry). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestSupergraph(): Promise<TestSupergraph> {
  const db: TestDatabase = await createTestDatabase();
  // Each test file its own event stream, so runs sharing one Redis never see each other's events.
  const stream = `o2o:test:${randomUUID()}`;
  const bus = process.env.REDIS_URL ? new RedisBus(process.env.REDIS_URL, stream) : new MemoryBus();
  const supergraph = await startSupergraph({ target: db.target, ports: "any", seed: true, bus });
  const metricsUrl = new URL("/metrics", supergraph.gatewayUrl).toString();
  return {
    supergraph,
    url: supergraph.gatewayUrl,
    query: (query, variables = {}, headers = {}) => postGraphQL(supergraph.gatewayUrl, query, variables, headers),
    as: (member) => ({ authorization: `Bearer ${signMemberToken(demoMemberId(member))}` }),
    staff: (scopes, retailerId) => ({ authorization: `Bearer ${signStaffToken({ staffId: "test-staff", scopes, retailerId: retailerId ?? null })}` }),
    sql: (query, params = []) => withSqlTransaction(db.target, (tx) => tx.query(query, params)),
    metric: async (name, labels = {}) => readMetric(await (await fetch(metricsUrl)).text(), name, labels),
    stop: async () => {
      if (bus instanceof RedisBus) await bus.dropStream();
      await supergraph.stop();
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
