import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newPglite, PGLITE_TEMPLATE } from "../src/pglite-template.ts";

describe("embedded databases from the initdb template", () => {
  it("start from the template (made if missing) with small shared buffers, empty and writable", async () => {
    const pglite = await newPglite();
    try {
      expect(existsSync(PGLITE_TEMPLATE)).toBe(true);
      expect((await pglite.query<{ shared_buffers: string }>("SHOW shared_buffers")).rows[0]?.shared_buffers).toBe("16MB");
      expect((await pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'products'")).rows[0]?.n).toBe(0);
      await pglite.exec("CREATE TABLE t (id int)");
    } finally {
      await pglite.close();
    }
  });

  it("keep a data directory's database: the second start reopens it instead of loading the template again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "o2o-pglite-"));
    try {
      const first = await newPglite(dir);
      await first.exec("CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
      await first.close();
      const second = await newPglite(dir);
      expect((await second.query<{ id: number }>("SELECT id FROM kept")).rows).toEqual([{ id: 7 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
