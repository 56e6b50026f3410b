/**
 * Recognises "the database cannot be reached right now" among the errors a resolver may throw, whichever layer
 * raised it: Prisma (P1001 can't reach, P1002/P1008 timed out, P1017 connection closed, P2024 no pooled connection
 * in time), its driver adapter (`meta.driverAdapterError.cause.kind`), or pg itself (socket errors, PostgreSQL's
 * connection-exception class 08 and the shutdown/startup codes 57P01–57P03 a restart produces). formatError
 * (errors.ts) answers those with SERVICE_UNAVAILABLE instead of a masked INTERNAL_SERVER_ERROR: the client may retry.
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
/** SQLSTATEs: 08xxx connection exception, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections. */
const UNAVAILABLE_STATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: unknown } }; cause?: unknown; originalError?: unknown; kind?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || UNAVAILABLE_STATE.test(code)) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  // Wrapped: by Prisma (the adapter's cause), by `new Error(…, { cause })`, or by a GraphQLError (originalError).
  return [e.meta?.driverAdapterError?.cause, e.cause, e.originalError].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
