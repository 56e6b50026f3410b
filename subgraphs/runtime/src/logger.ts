import { AsyncLocalStorage } from "node:async_hooks";
import { pino } from "pino";

/** What every log line written while serving one request carries: its request id and trace id (http.ts sets it). */
export interface RequestLogFields {
  requestId: string;
  traceId?: string;
}

const requestFields = new AsyncLocalStorage<RequestLogFields>();

/** Runs `fn` (and everything it awaits) with `fields` on each log line it writes. */
export const withRequestLog = <T>(fields: RequestLogFields, fn: () => T): T => requestFields.run(fields, fn);

/**
 * Structured JSON logs (pino): fast, and every line machine-readable. LOG_LEVEL=silent in tests.
 * O2O_LOG_FILE sends them to a file instead of stdout (tests grep it, e.g. for leaked secrets).
 * Lines written while serving a request carry its `requestId` and `traceId` (a mixin, so no logger is passed around).
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info"),
    base: { service: process.env.O2O_SERVICE ?? "o2o" },
    mixin: () => requestFields.getStore() ?? {},
  },
  process.env.O2O_LOG_FILE ? pino.destination({ dest: process.env.O2O_LOG_FILE, sync: true }) : undefined,
);
