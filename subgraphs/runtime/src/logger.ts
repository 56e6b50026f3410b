import { pino } from "pino";

/**
 * Structured JSON logs (pino): fast, and every line machine-readable. LOG_LEVEL=silent in tests.
 * O2O_LOG_FILE sends them to a file instead of stdout (tests grep it, e.g. for leaked secrets).
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info"),
    base: { service: process.env.O2O_SERVICE ?? "o2o" },
  },
  process.env.O2O_LOG_FILE ? pino.destination({ dest: process.env.O2O_LOG_FILE, sync: true }) : undefined,
);
