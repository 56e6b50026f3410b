import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseTarget } from "./db.ts";

/** A raw SQL transaction on one connection: what migrations and bulk seeding need, below Prisma. */
export interface SqlTx {
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** Runs `fn` inside one transaction on one connection of the target database. */
export async function withSqlTransaction<T>(target: DatabaseTarget, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  if (target.kind === "pglite") return pgliteTransaction(target.pglite, fn);
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const tx: SqlTx = {
      exec: async (sql) => void (await client.query(sql)),
      query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
    };
    const result = await fn(tx);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function pgliteTransaction<T>(db: PGlite, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  // PGlite's transaction() holds its single connection exclusively, so subgraphs sharing one
  // embedded instance cannot interleave statements inside each other's transactions.
  return db.transaction((t) =>
    fn({
      exec: async (sql) => void (await t.exec(sql)),
      query: async <R>(sql: string, params: unknown[] = []) => (await t.query<R>(sql, params)).rows,
    }),
  );
}
