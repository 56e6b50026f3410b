/**
 * The slice of a Prisma client (or of one of its interactive transactions) the event and
 * idempotency helpers need: raw SQL against the subgraph's own schema.
 */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

/** Runs `fn` in one database transaction: `(fn) => prisma.$transaction(fn)`. */
export type InTransaction<Tx extends SqlClient = SqlClient> = <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>;

/** A schema name is an identifier we chose (the subgraph's name), never user input; quote it anyway. */
export const table = (schema: string, name: string) => `"${schema.replaceAll('"', "")}"."${name}"`;
