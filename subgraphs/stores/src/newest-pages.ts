import { isId } from "@o2o/runtime";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";

/**
 * Per-store histories listed newest first (stock adjustments, replenishment orders): keyset pages over
 * (created_at, id) descending, every store of a request in ONE statement (a LATERAL per key), as ids per key.
 */
export type NewestCursor = [at: string, id: string];
export const isNewestCursor = (v: unknown): v is NewestCursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === "string" && isId(v[1]);

export interface NewestPageKey {
  storeId: string;
  take: number;
  after: NewestCursor | null;
}

/** The tables with a `store_id`, `created_at` and `id` that are listed this way. */
type NewestTable = "stock_adjustment" | "replenishment_order";

export async function newestIdPages(prisma: PrismaClient, table: NewestTable, keys: readonly NewestPageKey[]): Promise<string[][]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, take: k.take, after_at: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })));
  const rows = await prisma.$queryRaw<{ keyIndex: number; id: string }[]>`
    SELECT k."key_index" AS "keyIndex", r."id"::text AS "id"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "take" int, "after_at" timestamptz, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT x."id", x."created_at" FROM "stores".${Prisma.raw(`"${table}"`)} x
      WHERE x."store_id" = k."store_id" AND (k."after_at" IS NULL OR (x."created_at", x."id") < (k."after_at", k."after_id"))
      ORDER BY x."created_at" DESC, x."id" DESC
      LIMIT k."take"
    ) r
    ORDER BY k."key_index", r."created_at" DESC, r."id" DESC`;
  const pages: string[][] = keys.map(() => []);
  for (const row of rows) pages[row.keyIndex]?.push(row.id);
  return pages;
}

/** The pages' rows, loaded once by id (`load`), in page order. */
export async function fillPages<T extends { id: string }>(pages: string[][], load: (ids: string[]) => Promise<T[]>): Promise<T[][]> {
  const byId = new Map((await load(pages.flat())).map((row) => [row.id, row]));
  return pages.map((ids) => ids.map((id) => byId.get(id)!));
}
