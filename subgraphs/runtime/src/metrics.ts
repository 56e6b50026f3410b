import { AsyncLocalStorage } from "node:async_hooks";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

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

/** The gateway's rate-limit buckets answered by its own process's memory bucket because Redis could not (throttle.ts resilientBucket). */
export const rateLimitFallbacks = new Counter({
  name: "o2o_rate_limit_fallback_total",
  help: "Rate-limit bucket operations (take, refund) served by the per-process memory bucket while Redis was unavailable",
  labelNames: ["operation"] as const,
  registers: [registry],
});

/** Every GraphQL answer's errors, by service and `extensions.code` (gateway and subgraphs count their own answers). */
export const graphqlErrors = new Counter({
  name: "o2o_graphql_errors_total",
  help: "Errors in GraphQL answers, by service and extensions.code",
  labelNames: ["service", "code"] as const,
  registers: [registry],
});

/** Counts the errors of one serialized answer; only answers that have an `"errors"` member are parsed. */
export function countGraphQLErrors(service: string, body: string): void {
  if (!body.includes('"errors"')) return;
  let errors: unknown;
  try {
    errors = (JSON.parse(body) as { errors?: unknown }).errors;
  } catch {
    return;
  }
  if (!Array.isArray(errors)) return;
  for (const error of errors as { extensions?: { code?: unknown } }[]) {
    const code = error?.extensions?.code;
    // Codes come from a fixed set; anything else (a malformed subgraph answer) must not grow the label set.
    graphqlErrors.labels({ service, code: typeof code === "string" && /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : "OTHER" }).inc();
  }
}

const LATENCY_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const operationDuration = new Histogram({
  name: "o2o_operation_duration_seconds",
  help: "GraphQL operations served by the gateway, by operation name (anonymous; invalid when it did not parse or resolve)",
  labelNames: ["operation"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Operation names are chosen by callers: past this many distinct ones, further names are counted as "other". */
const MAX_OPERATION_NAMES = 500;
const operationNames = new Set<string>();

/** The `operation` label: the resolved operation's name, "anonymous" without one, "invalid" when none resolved. */
export function operationLabel(resolved: boolean, name: string | null | undefined): string {
  if (!resolved) return "invalid";
  if (!name) return "anonymous";
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return "other";
  operationNames.add(name);
  return name;
}

export const subgraphFetchDuration = new Histogram({
  name: "o2o_subgraph_fetch_duration_seconds",
  help: "Fetches the gateway sent to subgraphs (cache hits excluded), by subgraph and outcome (ok, or why it failed)",
  labelNames: ["subgraph", "outcome"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const eventLag = new Histogram({
  name: "o2o_event_lag_seconds",
  help: "From an event's occurrence (its outbox write) to a consumer handling it, by consumer group",
  labelNames: ["consumer"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
  registers: [registry],
});

/** Set by each relay poll (every 250 ms): grows while events cannot leave the outbox (e.g. Redis away), 0 when drained. */
export const outboxAge = new Gauge({
  name: "o2o_outbox_oldest_unrelayed_seconds",
  help: "Age of the oldest outbox event not yet relayed to the bus, by subgraph (as seen by this process's relay)",
  labelNames: ["subgraph"] as const,
  registers: [registry],
});

export const rateLimitRejections = new Counter({
  name: "o2o_rate_limit_rejections_total",
  help: "Operations the gateway refused as THROTTLED (the caller's cost bucket was empty), by rate-limit tier",
  labelNames: ["tier"] as const,
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
