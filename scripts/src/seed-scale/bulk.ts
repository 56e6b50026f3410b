import type pg from "pg";
import { progressBar } from "./bar.ts";
import { copyFrom } from "./copy.ts";
import type { TableRows } from "./rows.ts";

/**
 * Loads one table with COPY, in one transaction. For big tables (`rebuild`), the table's secondary indexes and
 * foreign keys are dropped first and recreated from their own definitions afterwards (one sort per index and
 * one join per key instead of 10 M btree inserts and trigger checks), and the table is truncated in the same
 * transaction so COPY … FREEZE writes its rows already frozen and all-visible (no VACUUM pass, index-only scans
 * work at once). The primary key stays: rows arrive in its order. A failure rolls everything back.
 */
export async function bulkLoad(client: pg.Client, label: string, table: TableRows, options: { rebuild?: boolean } = {}): Promise<number> {
  const bar = progressBar(label, table.total);
  await client.query("BEGIN");
  try {
    let restore: string[] = [];
    if (options.rebuild) {
      restore = await dropSecondaryIndexesAndForeignKeys(client, table.table);
      await client.query(`TRUNCATE ${table.table}`);
    }
    const copied = await copyFrom(
      client,
      `COPY ${table.table} (${table.columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN${options.rebuild ? " WITH (FREEZE)" : ""}`,
      table.rows((rows) => bar.tick(rows)),
    );
    const started = performance.now();
    for (const statement of restore) await client.query(statement);
    await client.query("COMMIT");
    bar.finish(restore.length ? `${restore.length} indexes/keys rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s` : undefined);
    return copied;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Drops the table's non-constraint indexes and its foreign keys; returns the statements that recreate them. */
async function dropSecondaryIndexesAndForeignKeys(client: pg.Client, table: string): Promise<string[]> {
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [table],
  );
  const keys = await client.query<{ name: string; definition: string }>(
    `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`,
    [table],
  );
  for (const key of keys.rows) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${key.name}`);
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
  return [...indexes.rows.map((i) => i.definition), ...keys.rows.map((k) => `ALTER TABLE ${table} ADD CONSTRAINT ${k.name} ${k.definition}`)];
}
