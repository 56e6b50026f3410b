import { randomBytes } from "node:crypto";
import pg from "pg";
import { ANONYMOUS, CALLER_HEADER, signCaller, type Caller } from "./caller.ts";
import { MEMBER_SCOPES } from "./scopes.ts";
import { postGraphQL, type GraphQLResponse } from "./client.ts";
import type { DatabaseTarget } from "./db.ts";
import { newPglite } from "./pglite-template.ts";
import { readMetric } from "./metrics.ts";
import { startSubgraph, type RequestInfo, type Subgraph } from "./subgraph.ts";

/**
 * Test support: a fresh, isolated database per test file — a new PGlite by default, or a new
 * database on the PostgreSQL server at DATABASE_URL (dropped afterwards) when one is configured.
 */
export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const serverUrl = env.DATABASE_URL;
  if (!serverUrl) {
    const pglite = await newPglite();
    return { target: { kind: "pglite", pglite }, drop: () => pglite.close() };
  }
  const name = `o2o_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      // Connections still saying goodbye (a pool just ended) are let go first: FORCE would cut them off mid-way and
      // their clients would raise the server's 57P01 as an unhandled error. At most 2 s; then FORCE anyway.
      for (let i = 0; i < 40; i++) {
        const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export { postGraphQL, type GraphQLResponse } from "./client.ts";

/**
 * Calls a subgraph directly the way the gateway does: with a signed caller header. A member caller given
 * without scopes gets the member scopes, as the gateway gives every member token.
 */
export function signedHeaders(caller: Partial<Caller> = {}): Record<string, string> {
  const memberScopes = caller.memberId && !caller.scopes ? { scopes: [...MEMBER_SCOPES] } : {};
  return { [CALLER_HEADER]: signCaller({ ...ANONYMOUS, ...memberScopes, ...caller }) };
}

/** One subgraph for one test file: a fresh database, migrated, seeded twice (proving idempotence), on a free port. */
export interface TestSubgraph {
  url: string;
  /** The test database, for tests that write rows the seed does not have. */
  target: DatabaseTarget;
  /** A GraphQL call signed the way the gateway signs it, as `caller` (anonymous by default). */
  q<D = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Partial<Caller>): Promise<GraphQLResponse<D>>;
  /** o2o_sql_statements_total for this subgraph, read from its GET /metrics. */
  sqlStatements(): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestSubgraph<Ctx extends RequestInfo>(create: (target: DatabaseTarget) => Subgraph<Ctx>): Promise<TestSubgraph> {
  const db = await createTestDatabase();
  const subgraph = create(db.target);
  await subgraph.migrate();
  await subgraph.seed();
  await subgraph.seed();
  const running = await startSubgraph(subgraph, 0);
  return {
    url: running.url,
    target: db.target,
    q: (query, variables = {}, caller = {}) => postGraphQL(running.url, query, variables, signedHeaders(caller)),
    sqlStatements: async () => {
      const text = await (await fetch(running.url.replace(/\/graphql$/, "/metrics"))).text();
      return readMetric(text, "o2o_sql_statements_total", { subgraph: subgraph.name });
    },
    stop: async () => {
      await running.stop();
      await subgraph.close();
      await db.drop();
    },
  };
}
