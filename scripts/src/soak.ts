import { parseArgs } from "node:util";
import { renderSoak, writeSoakReport } from "./soak/report.ts";
import { runSoak } from "./soak/run.ts";

/**
 * `npm run soak [-- --duration 180 --connections 8 --warmup 30 --stock 1000]`: the deployed shape (five subgraphs and
 * the gateway, each its own process) on PostgreSQL and Redis (DATABASE_URL / REDIS_URL, default the local ones; a
 * throwaway database and its own Redis namespace), loaded for the duration with anonymous product pages and category
 * listings, members' order histories, the store finder and checkouts against short stock. Prints the figures, writes
 * bench-results/soak-<date>.json, and exits 1 when a check fails (an error other than THROTTLED, oversold or
 * negative stock, memory growth beyond the bound).
 */
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "180" },
    connections: { type: "string", default: "8" },
    warmup: { type: "string" },
    stock: { type: "string", default: "1000" },
    "memory-bound": { type: "string", default: "1.5" },
  },
});
const durationSeconds = Number(values.duration);
const report = await runSoak({
  databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  durationSeconds,
  connections: Number(values.connections),
  // A sixth of the run, at most 30 s: long enough for JIT, plan caches and pools to settle.
  warmupSeconds: Number(values.warmup ?? Math.min(30, Math.round(durationSeconds / 6))),
  sampleSeconds: 30,
  stockPerRow: Number(values.stock),
  memoryBound: Number(values["memory-bound"]),
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(renderSoak(report));
console.log(`\nwritten: ${writeSoakReport(report)}`);
process.exit(report.ok ? 0 : 1);
