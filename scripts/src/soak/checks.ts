import { withSqlTransaction, type DatabaseTarget } from "@o2o/runtime";
import type { MixResult } from "./load.ts";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A stock row the checkouts took from: what it held before the load and after. */
export interface StockRow {
  storeId: string;
  productId: string;
  initial: number;
  quantity: number;
  /** Units held or committed for orders (HELD + COMMITTED reservation lines), before and after the load. */
  reservedBefore: number;
  reservedAfter: number;
}

/** One RSS reading of every process (VmRSS, MB), `at` seconds into the load. */
export interface RssSample {
  label: string;
  at: number;
  mb: Record<string, number | null>;
}

/** Only THROTTLED may come back as an error; every other error code, non-GraphQL answer or lost request fails. */
export function errorCheck(result: MixResult): Check {
  const bad: Record<string, number> = {};
  for (const figures of Object.values(result.operations)) {
    for (const [outcome, n] of Object.entries(figures.outcomes)) {
      if ((outcome.startsWith("error:") && outcome !== "error:THROTTLED") || outcome.startsWith("http:")) bad[outcome] = (bad[outcome] ?? 0) + n;
    }
  }
  if (result.transportErrors) bad.transport = result.transportErrors;
  const ok = Object.keys(bad).length === 0;
  return { name: "no error responses other than THROTTLED", ok, detail: ok ? "none" : `${JSON.stringify(bad)}; e.g. ${result.errorSamples.slice(0, 2).join(" | ")}` };
}

const sql = <R>(target: DatabaseTarget, query: string, params: unknown[] = []) => withSqlTransaction(target, (tx) => tx.query<R>(query, params));

/** Sets each row's shelf stock (straight into the stores schema) and reads what is already reserved on it. */
export async function setSoakStock(target: DatabaseTarget, rows: { storeId: string; productId: string }[], quantity: number): Promise<void> {
  for (const row of rows) {
    await sql(target, `INSERT INTO stores.stock (store_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now()) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`, [row.storeId, row.productId, quantity]);
  }
}

export async function readStock(target: DatabaseTarget, rows: { storeId: string; productId: string }[]): Promise<{ storeId: string; productId: string; quantity: number; reserved: number }[]> {
  return Promise.all(
    rows.map(async (row) => {
      const [found] = await sql<{ quantity: number; reserved: number }>(
        target,
        `SELECT s.quantity,
                (SELECT COALESCE(sum(l.quantity), 0)::int FROM stores.stock_reservation_line l JOIN stores.stock_reservation r ON r.order_id = l.order_id
                  WHERE l.store_id = s.store_id AND l.product_id = s.product_id AND r.status IN ('HELD', 'COMMITTED')) AS reserved
           FROM stores.stock s WHERE s.store_id = $1 AND s.product_id = $2`,
        [row.storeId, row.productId],
      );
      if (!found) throw new Error(`no stock row ${row.storeId}/${row.productId}`);
      return { ...row, ...found };
    }),
  );
}

/**
 * Nothing oversold: on every row the checkouts took from, what the load reserved (held + committed, released units
 * come back to the shelf) fits in the initial stock and equals what left the shelf; no stock row anywhere is negative;
 * and the orders the clients saw placed are what was reserved (at most one more per connection: a checkout still in
 * flight when the clock ran out completes on the server unseen).
 */
export async function stockChecks(target: DatabaseTarget, rows: StockRow[], placed: number, connections: number): Promise<Check[]> {
  const [{ negative }] = (await sql<{ negative: number }>(target, `SELECT count(*)::int AS negative FROM stores.stock WHERE quantity < 0`)) as [{ negative: number }];
  const sold = rows.map((r) => r.reservedAfter - r.reservedBefore);
  const oversold = rows.filter((r, i) => sold[i]! > r.initial || r.initial - r.quantity !== sold[i]);
  const reserved = sold.reduce((a, b) => a + b, 0);
  return [
    {
      name: "no oversold stock (reserved ≤ initial, shelf = initial − reserved, per row)",
      ok: oversold.length === 0,
      detail: rows.map((r, i) => `${r.initial} → shelf ${r.quantity}, reserved ${sold[i]}`).join("; "),
    },
    { name: "no negative stock anywhere", ok: negative === 0, detail: `${negative} negative rows` },
    { name: "orders seen placed = units reserved", ok: placed <= reserved && reserved <= placed + connections, detail: `${placed} placed, ${reserved} reserved` },
  ];
}

/**
 * Memory growth bounded: every process's RSS at the end at most `bound` × its RSS after the warm-up. The warm-up
 * reading (not the one before any load) is the base: JIT code, plan caches, connection pools and V8's heap sizing
 * grow in the first seconds by design; after that, a process that keeps serving the same mix should hover (GC
 * sawtooth), and a leak of what requests allocate shows as steady growth. 1.5× leaves room for the sawtooth and
 * heap-size steps while catching a leak that grows by half in a few minutes.
 */
export function memoryCheck(afterWarmup: RssSample, end: RssSample, bound: number): Check {
  const over = Object.entries(end.mb).filter(([name, mb]) => mb === null || afterWarmup.mb[name] == null || mb > afterWarmup.mb[name]! * bound);
  return {
    name: `memory growth bounded (end RSS ≤ ${bound} × RSS after ${afterWarmup.at} s warm-up, every process)`,
    ok: over.length === 0,
    detail: Object.entries(end.mb).map(([name, mb]) => `${name} ${afterWarmup.mb[name]} → ${mb} MB`).join(", "),
  };
}
