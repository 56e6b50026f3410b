import { demoMemberId, readMetric, startSubgraph, type Caller, type DatabaseTarget, type RunningSubgraph } from "@o2o/runtime";
import { createTestDatabase, postGraphQL, signedHeaders, type GraphQLResponse, type TestDatabase } from "@o2o/runtime/testing";
import { createMembersSubgraph } from "../src/server.ts";

/** One members subgraph per test file: a fresh database, migrated, seeded twice (idempotent), on port 0. */
export interface Harness {
  url: string;
  /** The test database, for tests that write rows the seed does not have. */
  target: DatabaseTarget;
  /** A GraphQL call signed by the gateway, as `caller` (anonymous by default). */
  q(query: string, variables?: Record<string, unknown>, caller?: Partial<Caller>): Promise<GraphQLResponse<Record<string, any>>>;
  /** o2o_sql_statements_total{subgraph="members"} as the running subgraph reports it on GET /metrics. */
  sqlStatements(): Promise<number>;
  stop(): Promise<void>;
}

export async function startMembers(): Promise<Harness> {
  const db: TestDatabase = await createTestDatabase();
  const subgraph = createMembersSubgraph(db.target);
  await subgraph.migrate();
  await subgraph.seed();
  await subgraph.seed();
  const running: RunningSubgraph = await startSubgraph(subgraph, 0);
  return {
    url: running.url,
    target: db.target,
    q: (query, variables = {}, caller = {}) => postGraphQL(running.url, query, variables, signedHeaders(caller)),
    sqlStatements: async () => {
      const text = await (await fetch(running.url.replace(/\/graphql$/, "/metrics"))).text();
      return readMetric(text, "o2o_sql_statements_total", { subgraph: "members" });
    },
    stop: async () => {
      await running.stop();
      await subgraph.close();
      await db.drop();
    },
  };
}

export const AIKO = demoMemberId("aiko");
export const WEI = demoMemberId("wei");
export const MINH = demoMemberId("minh");
export const SOFIA = demoMemberId("sofia");
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
