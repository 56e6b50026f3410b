import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/migrate.ts";
import { withSqlTransaction } from "../src/sql-session.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "o2o-migrations-"));
  await mkdir(join(dir, "20260101000000_init"));
  await writeFile(join(dir, "20260101000000_init", "migration.sql"), `CREATE TABLE "demo"."thing" ("id" INT PRIMARY KEY);`);
});
afterAll(async () => db?.drop());

describe("migrator", () => {
  it("applies pending migrations once and records them like prisma migrate deploy", async () => {
    expect(await migrate(db.target, "demo", dir)).toEqual({ applied: ["20260101000000_init"], alreadyApplied: 0 });
    expect(await migrate(db.target, "demo", dir)).toEqual({ applied: [], alreadyApplied: 1 });
    const rows = await withSqlTransaction(db.target, (tx) =>
      tx.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(`SELECT migration_name, checksum, applied_steps_count FROM "demo"."_prisma_migrations"`),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ migration_name: "20260101000000_init", applied_steps_count: 1 });
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("applies a new migration and rolls back a failing one entirely", async () => {
    await mkdir(join(dir, "20260102000000_more"));
    await writeFile(join(dir, "20260102000000_more", "migration.sql"), `ALTER TABLE "demo"."thing" ADD COLUMN "name" TEXT;`);
    await mkdir(join(dir, "20260103000000_broken"));
    await writeFile(join(dir, "20260103000000_broken", "migration.sql"), `ALTER TABLE "demo"."nope" ADD COLUMN "x" INT;`);
    await expect(migrate(db.target, "demo", dir)).rejects.toThrow();
    // Nothing of the failed run stuck: the good migration is still pending with the broken one.
    const names = await withSqlTransaction(db.target, (tx) => tx.query<{ migration_name: string }>(`SELECT migration_name FROM "demo"."_prisma_migrations"`));
    expect(names.map((r) => r.migration_name)).toEqual(["20260101000000_init"]);
  });

  it("refuses a migration that was edited after it was applied", async () => {
    await writeFile(join(dir, "20260101000000_init", "migration.sql"), `CREATE TABLE "demo"."thing" ("id" BIGINT PRIMARY KEY);`);
    await expect(migrate(db.target, "demo", dir)).rejects.toThrow(/edited after it was applied/);
  });
});
