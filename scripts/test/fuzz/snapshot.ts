import type { TestSupergraph } from "../support.ts";

/** The five subgraphs' schemas: everything a request could write to. */
export const SUBGRAPH_SCHEMAS = ["products", "stores", "members", "payments", "logistics"] as const;

/**
 * Tables that change without any request writing them, left out of the comparison, with the reason. (Outbox tables
 * are NOT here: a refused mutation must not touch them.)
 */
export const BOOKKEEPING_TABLES: Record<string, string> = {};

/**
 * `<schema>.idempotency_record` keeps a refused answer too (runtime idempotency.ts: "a retry with the same key answers
 * what the first did"), so a refusal may add a DONE row whose stored answer has userErrors. Those memos are counted
 * apart (`refusalMemos`); every other row (a success, or a claim left IN_PROGRESS) is compared like any table.
 */
const REFUSAL_MEMO = `(fuzz_row.state::text = 'DONE' AND coalesce(jsonb_array_length(fuzz_row.response::jsonb -> 'userErrors'), 0) > 0)`;

export interface DatabaseState {
  /** Table → "rows:checksum". */
  tables: Record<string, string>;
  /** Stored refusals in the idempotency tables (see above). */
  refusalMemos: number;
}

/**
 * Every table of the subgraph schemas → "rows:checksum", the checksum a sum of hashtext over each row's text (one
 * statement; works on PGlite and PostgreSQL). Equal states before and after mean no row was added, removed or changed.
 */
export async function databaseState(t: TestSupergraph): Promise<DatabaseState> {
  const tables = await t.sql<{ name: string; memo: boolean }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name, table_name = 'idempotency_record' AS memo
       FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1`,
    [[...SUBGRAPH_SCHEMAS]],
  );
  const counted = tables.filter((table) => !(table.name in BOOKKEEPING_TABLES));
  if (!counted.length) throw new Error("no tables found in the subgraph schemas");
  const rows = await t.sql<{ name: string; state: string }>(
    counted
      .flatMap(({ name, memo }) => [
        `SELECT '${name}' AS name, count(*) || ':' || coalesce(sum(hashtext(fuzz_row::text)::bigint), 0) AS state FROM ${name} fuzz_row${memo ? ` WHERE NOT ${REFUSAL_MEMO}` : ""}`,
        ...(memo ? [`SELECT '${name}#refusals' AS name, count(*)::text AS state FROM ${name} fuzz_row WHERE ${REFUSAL_MEMO}`] : []),
      ])
      .join(" UNION ALL "),
  );
  const state: DatabaseState = { tables: {}, refusalMemos: 0 };
  for (const row of rows) {
    if (row.name.endsWith("#refusals")) state.refusalMemos += Number(row.state);
    else state.tables[row.name] = row.state;
  }
  return state;
}
