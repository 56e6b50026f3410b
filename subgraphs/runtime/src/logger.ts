import { pino } from "pino";

/** Structured JSON logs (pino): fast, and every line machine-readable. LOG_LEVEL=silent in tests. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info"),
  base: { service: process.env.O2O_SERVICE ?? "o2o" },
});
