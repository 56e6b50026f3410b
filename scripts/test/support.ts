import { signMemberToken } from "@o2o/gateway/auth";
import { demoMemberId, readMetric } from "@o2o/runtime";
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
  /** Sum of a Prometheus counter across the process (all subgraphs share one registry). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestSupergraph(): Promise<TestSupergraph> {
  const db: TestDatabase = await createTestDatabase();
  const supergraph = await startSupergraph({ target: db.target, ports: "any", seed: true });
  const metricsUrl = new URL("/metrics", supergraph.gatewayUrl).toString();
  return {
    supergraph,
    url: supergraph.gatewayUrl,
    query: (query, variables = {}, headers = {}) => postGraphQL(supergraph.gatewayUrl, query, variables, headers),
    as: (member) => ({ authorization: `Bearer ${signMemberToken(demoMemberId(member))}` }),
    metric: async (name, labels = {}) => readMetric(await (await fetch(metricsUrl)).text(), name, labels),
    stop: async () => {
      await supergraph.stop();
      await db.drop();
    },
  };
}

/** Tomorrow's date in Tokyo, where every demo store is. */
export function tomorrowInTokyo(): string {
  return new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
}
