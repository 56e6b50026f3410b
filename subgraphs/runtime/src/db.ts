import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { backgroundSqlStatements, isBackground, sqlStatements } from "./metrics.ts";
import { newPglite } from "./pglite-template.ts";
import type { SubgraphName } from "./services.ts";

/**
 * Where a subgraph's data lives. Real mode: PostgreSQL at a URL (DATABASE_URL, or
 * <NAME>_DATABASE_URL for a database of its own). Embedded mode: one in-process PGlite shared by
 * all five subgraphs. Either way each subgraph's tables sit in a PostgreSQL schema named after it,
 * and its Prisma client only knows that schema's models.
 */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; pglite: PGlite };

let embedded: Promise<PGlite> | undefined;

/** The process-wide embedded PGlite (in memory, or PGLITE_DATA_DIR on disk). */
export function embeddedPglite(): Promise<PGlite> {
  embedded ??= newPglite(process.env.PGLITE_DATA_DIR);
  return embedded;
}

export async function databaseTargetFromEnv(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): Promise<DatabaseTarget> {
  const url = env[`${name.toUpperCase()}_DATABASE_URL`] ?? env.DATABASE_URL;
  return url ? { kind: "postgres", url } : { kind: "pglite", pglite: await embeddedPglite() };
}

export function adapterFor(name: SubgraphName, target: DatabaseTarget): SqlDriverAdapterFactory {
  const base: SqlDriverAdapterFactory =
    target.kind === "postgres"
      ? new PrismaPg({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }, { schema: name })
      : (new PrismaPGlite(target.pglite) as unknown as SqlDriverAdapterFactory);
  return countingAdapter(name, base);
}

/** Hears every statement a subgraph sends, with its arguments (the query-plan test EXPLAINs what resolvers really ran). */
export type SqlStatementListener = (subgraph: SubgraphName, query: SqlQuery) => void;
const statementListeners = new Set<SqlStatementListener>();

/** Starts listening to every subgraph's statements in this process; returns the function that stops it. */
export function onSqlStatement(listener: SqlStatementListener): () => void {
  statementListeners.add(listener);
  return () => void statementListeners.delete(listener);
}

/**
 * Wraps a driver adapter so every statement is counted in `o2o_sql_statements_total{subgraph}`:
 * tests assert that statement counts do not grow with list sizes (no N+1), over /metrics.
 */
function countingAdapter(name: SubgraphName, factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const counter = sqlStatements.labels({ subgraph: name });
  const backgroundCounter = backgroundSqlStatements.labels({ subgraph: name });
  const count = (query: SqlQuery) => {
    (isBackground() ? backgroundCounter : counter).inc();
    for (const listener of statementListeners) listener(name, query);
  };
  const wrapQueryable = <T extends SqlQueryable>(q: T): T => {
    const queryRaw = q.queryRaw.bind(q);
    const executeRaw = q.executeRaw.bind(q);
    q.queryRaw = (params) => (count(params), queryRaw(params));
    q.executeRaw = (params) => (count(params), executeRaw(params));
    return q;
  };
  const connect = factory.connect.bind(factory);
  factory.connect = async (): Promise<SqlDriverAdapter> => {
    const adapter = wrapQueryable(await connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (level): Promise<Transaction> => wrapQueryable(await startTransaction(level));
    return adapter;
  };
  return factory;
}

/**
 * How long an interactive transaction may wait to start and to run. Prisma's defaults (2 s / 5 s) are too
 * tight for embedded mode, where every subgraph's transactions take turns on PGlite's single connection:
 * a burst of checkouts queues there rather than failing.
 */
export const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

/** What every subgraph's PrismaClient is built with: its counted driver adapter and the transaction limits. */
export const prismaOptions = (name: SubgraphName, target: DatabaseTarget) => ({ adapter: adapterFor(name, target), transactionOptions: TRANSACTION_OPTIONS });
