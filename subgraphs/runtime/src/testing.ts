import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { ANONYMOUS, CALLER_HEADER, signCaller, type Caller } from "./caller.ts";
import type { DatabaseTarget } from "./db.ts";

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
    const pglite = await PGlite.create();
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
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export { postGraphQL, type GraphQLResponse } from "./client.ts";

/** Calls a subgraph directly the way the gateway does: with a signed caller header. */
export function signedHeaders(caller: Partial<Caller> = {}): Record<string, string> {
  return { [CALLER_HEADER]: signCaller({ ...ANONYMOUS, ...caller }) };
}
