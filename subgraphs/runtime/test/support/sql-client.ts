import { readFile } from "node:fs/promises";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import type { InTransaction, SqlClient } from "../../src/events/sql.ts";
import { createTestDatabase } from "../../src/testing.ts";

/**
 * The event and idempotency helpers take a Prisma-shaped `SqlClient`; these tests drive them over
 * the raw test database instead (PGlite embedded, a pg.Pool against DATABASE_URL), so they test the
 * helpers' SQL against the real engine without any subgraph's Prisma client.
 */
export interface TestSql {
  readonly kind: "pglite" | "postgres";
  /** Autocommit statements, outside any transaction. */
  db: SqlClient;
  inTx: InTransaction<SqlClient>;
  /** Creates `schema` with the event tables of src/events/ddl.sql in it. */
  createSchema(schema: string): Promise<void>;
  rows<T>(query: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const DDL = new URL("../../src/events/ddl.sql", import.meta.url);

export async function createTestSql(): Promise<TestSql> {
  const database = await createTestDatabase();
  const ddl = await readFile(DDL, "utf8");
  if (database.target.kind === "pglite") {
    const pglite = database.target.pglite;
    return build("pglite", pgliteClient(pglite), (sql) => pglite.exec(sql), ddl, (fn) => pglite.transaction((tx) => fn(pgliteClient(tx))), () => database.drop());
  }
  const pool = new pg.Pool({ connectionString: database.target.url, max: 30 });
  // Dropping the database (WITH FORCE) at the end terminates connections that are still closing; the server's
  // goodbye (57P01) must not surface as an unhandled error of a client the pool already let go.
  pool.on("connect", (client) => client.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") throw err;
  }));
  const inTx: InTransaction<SqlClient> = async (fn) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(pgClient(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return build("postgres", pgClient(pool), (sql) => pool.query(sql), ddl, inTx, async () => {
    await pool.end();
    await database.drop();
  });
}

function build(kind: TestSql["kind"], db: SqlClient, exec: (sql: string) => Promise<unknown>, ddl: string, inTx: InTransaction<SqlClient>, close: () => Promise<void>): TestSql {
  return {
    kind,
    db,
    inTx,
    createSchema: async (schema) => {
      // Multi-statement text: PGlite's exec(), or pg's simple query protocol (no parameters).
      await exec(`CREATE SCHEMA "${schema}";\n${ddl.replaceAll('"SCHEMA"', `"${schema}"`)}`);
    },
    rows: async <T>(query: string, ...params: unknown[]) => db.$queryRawUnsafe<T[]>(query, ...params),
    close,
  };
}

function pgliteClient(q: PGlite | Transaction): SqlClient {
  return {
    $executeRawUnsafe: async (query, ...values) => (await q.query(query, values)).affectedRows ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await q.query(query, values)).rows as T,
  };
}

function pgClient(q: pg.Pool | pg.PoolClient): SqlClient {
  return {
    $executeRawUnsafe: async (query, ...values) => (await q.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await q.query(query, values)).rows as T,
  };
}
