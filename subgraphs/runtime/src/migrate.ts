import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DatabaseTarget } from "./db.ts";
import { withSqlTransaction } from "./sql-session.ts";

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Tables the runtime itself reads and writes in every subgraph's schema (outbox, processed events,
 * idempotency claims): one SQL file here, applied to each schema like one of its own migrations.
 */
const RUNTIME_MIGRATIONS = [{ name: "20261123000000_events", file: new URL("./events/ddl.sql", import.meta.url) }];

export interface Migration {
  name: string;
  sql: string;
}

export async function runtimeMigrations(schema: string): Promise<Migration[]> {
  return Promise.all(RUNTIME_MIGRATIONS.map(async ({ name, file }) => ({ name, sql: (await readFile(file, "utf8")).replaceAll("SCHEMA", schema) })));
}

/**
 * Applies `prisma/migrations/<name>/migration.sql` (and `extra`, e.g. the runtime's own migrations) in name order and records each in
 * `<schema>._prisma_migrations` with the columns and checksum `prisma migrate deploy` writes, so
 * the native CLI agrees with us wherever it is available. All pending migrations and their records
 * commit together, under an advisory lock so two replicas starting at once cannot both apply one.
 */
export async function migrate(target: DatabaseTarget, schema: string, migrationsDir: string, extra: Migration[] = []): Promise<MigrationResult> {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const own = await Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(migrationsDir, name, "migration.sql"), "utf8") })));
  const files = [...own, ...extra].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const table = `"${schema}"."_prisma_migrations"`;

  return withSqlTransaction(target, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`o2o-migrate-${schema}`]);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}";
CREATE TABLE IF NOT EXISTS ${table} (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`);
    const rows = await tx.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: 0 };
    for (const { name, sql } of files) {
      const checksum = createHash("sha256").update(sql).digest("hex");
      const recorded = applied.get(name);
      if (recorded !== undefined) {
        if (recorded !== checksum) throw new Error(`migration ${schema}/${name} was edited after it was applied`);
        result.alreadyApplied++;
        continue;
      }
      await tx.exec(sql);
      await tx.query(
        `INSERT INTO ${table} (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`,
        [randomUUID(), checksum, name],
      );
      result.applied.push(name);
    }
    return result;
  });
}
