import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { logger } from "./logger.ts";
import { isDatabaseUnavailable } from "./database-errors.ts";

/** The error codes every part of the supergraph speaks. Clients may switch on them. */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  THROTTLED: "THROTTLED",
  /** The operation's calculated cost is above the per-operation maximum (refused before any subgraph call). */
  MAX_COST_EXCEEDED: "MAX_COST_EXCEEDED",
  /** The caller's key runs persisted (manifest) operations only, and this one is not in the manifest. */
  PERSISTED_QUERY_NOT_IN_SAFELIST: "PERSISTED_QUERY_NOT_IN_SAFELIST",
  OUT_OF_STOCK: "OUT_OF_STOCK",
  /** A subgraph (or its database: `reason: "DATABASE_UNAVAILABLE"`) could not be reached; the rest of the response still returns. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function codedError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const badUserInput = (message: string, extra: Record<string, unknown> = {}) =>
  codedError(ErrorCode.BAD_USER_INPUT, message, extra);
export const unauthenticated = (message = "Sign in or send an API key to see this.") =>
  codedError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message: string) => codedError(ErrorCode.FORBIDDEN, message);

/** Codes produced by graphql-js / Apollo Server itself for bad requests: safe to show as they are. */
// INTERNAL_SERVER_ERROR is Apollo's code for every unexpected throw: never trusted, always masked.
export const CLIENT_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/**
 * Apollo Server `formatError`: known codes pass through (without stack traces); anything
 * unexpected is logged with the request id and masked, so no internal message reaches a client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? "");
  const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if (CLIENT_CODES.has(code)) return { ...formatted, extensions: { ...extensions, code } };
  // Apollo Server refuses some malformed requests (a persisted query's bad version, a hash that does not match its
  // query) with a 4xx and its own message but no code (it fills in INTERNAL_SERVER_ERROR): a client's mistake, so
  // BAD_REQUEST, not a masked 500. (Duck-typed: Apollo's GraphQLError may come from another copy of graphql.)
  const own = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null)?.extensions;
  const status = own?.http?.status;
  if (own && own.code === undefined && typeof status === "number" && status >= 400 && status < 500) return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
  const original = unwrapResolverError(error);
  // The database is down or restarting: expected during an outage, and worth a retry. A stable code, no internals.
  if (isDatabaseUnavailable(original)) {
    logger.warn({ err: (original as Error).message, path: formatted.path }, "database unavailable");
    return {
      message: "This data is temporarily unavailable (its database cannot be reached); try again shortly.",
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, reason: "DATABASE_UNAVAILABLE", ...(extensions.serviceName ? { serviceName: extensions.serviceName } : {}) },
    };
  }
  logger.error({ err: original, path: formatted.path }, "unexpected error");
  return {
    message: "Internal server error",
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(extensions.serviceName ? { serviceName: extensions.serviceName } : {}) },
  };
}
