import { AsyncLocalStorage } from "node:async_hooks";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * One Prometheus registry per process (prom-client: the standard Node client, so we do not hand-roll
 * the exposition format). In the all-in-one process the five subgraphs share it, told apart by label.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const sqlStatements = new Counter({
  name: "o2o_sql_statements_total",
  help: "SQL statements sent to the database while serving requests, by subgraph",
  labelNames: ["subgraph"] as const,
  registers: [registry],
});

/** Background work (outbox relay, event consumers, sweepers) is counted apart, so request counts stay exact. */
export const backgroundSqlStatements = new Counter({
  name: "o2o_background_sql_statements_total",
  help: "SQL statements sent by background workers (outbox relay, event consumers, sweepers), by subgraph",
  labelNames: ["subgraph"] as const,
  registers: [registry],
});

const background = new AsyncLocalStorage<true>();
/** Runs `fn` (and everything it awaits) as background work for the SQL statement counters. */
export const inBackground = <T>(fn: () => T): T => background.run(true, fn);
export const isBackground = (): boolean => background.getStore() === true;

export const subgraphFetches = new Counter({
  name: "o2o_subgraph_fetches_total",
  help: "Requests the gateway sent to subgraphs, by subgraph and outcome",
  labelNames: ["subgraph", "outcome"] as const,
  registers: [registry],
});

/** The gateway's shared read cache: `layer` response (whole answers) or fetch (one subgraph fetch or entity). */
export const cacheLookups = new Counter({
  name: "o2o_cache_lookups_total",
  help: "Lookups in the gateway's shared read cache, by layer, subgraph (fetch layer) and outcome (hit or miss)",
  labelNames: ["layer", "subgraph", "outcome"] as const,
  registers: [registry],
});

export const httpRequests = new Histogram({
  name: "o2o_http_request_duration_seconds",
  help: "HTTP requests served, by service and status",
  labelNames: ["service", "status"] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** Reads one labelled counter value out of a Prometheus text exposition (used by tests and scripts). */
export function readMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== "{" && rest[0] !== " ") continue;
    if (wanted.every((w) => rest.includes(w))) total += Number(line.split(" ").at(-1));
  }
  return total;
}
