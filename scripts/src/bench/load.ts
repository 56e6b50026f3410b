import autocannon from "autocannon";
import { cpuMs } from "./processes.ts";

export interface LoadOptions {
  url: string;
  body: string;
  /** Called per request: Hive's caller header is re-signed while the load runs. */
  headers: () => Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Discarded run first (JIT, plan caches, connection pools, our gateway's cache). */
  warmupSeconds: number;
  /** Processes whose CPU time per request is measured (the gateway's, the subgraphs'). */
  cpuOf?: Record<string, number>;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-200 answers, answers with GraphQL `errors`, and transport errors (timeouts, resets). */
  errors: number;
  /** A few of the failing answers, shortened, to print. */
  errorSamples: string[];
  /**
   * CPU ms (user + system) each watched process spent per answered request. Unlike req/s it barely moves when other
   * work shares the machine, so it is the steadier number to compare gateways by on a busy host.
   */
  cpuMsPerRequest: Record<string, number | null>;
}

/** Percentile of sorted latencies (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Load with autocannon: `connections` keep-alive connections for the duration, as fast as the server answers. Latency
 * percentiles come from every response's own time (autocannon's summary has no p95).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await cannon({ ...options, durationSeconds: options.warmupSeconds });
  const watched = Object.entries(options.cpuOf ?? {});
  const before = watched.map(([, pid]) => cpuMs(pid));
  const result = await cannon(options);
  const after = watched.map(([, pid]) => cpuMs(pid));
  result.cpuMsPerRequest = Object.fromEntries(
    watched.map(([name], i) => [name, before[i] != null && after[i] != null && result.requests > 0 ? (after[i]! - before[i]!) / result.requests : null]),
  );
  return result;
}

function cannon(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const errorSamples: string[] = [];
  const failed = (what: string) => {
    errors++;
    if (errorSamples.length < 3) errorSamples.push(what.length > 300 ? `${what.slice(0, 300)}…` : what);
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [
          {
            method: "POST",
            setupRequest: (req) => ({ ...req, headers: options.headers(), body: options.body }),
            onResponse: (status, body) => {
              if (status !== 200) failed(`HTTP ${status}: ${body}`);
              else if (body.includes('"errors":')) failed(body);
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        errors += result.errors; // transport errors and timeouts (no response at all)
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          requestsPerSecond: latencies.length / (result.duration || options.durationSeconds),
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          errors,
          errorSamples,
          cpuMsPerRequest: {},
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}
