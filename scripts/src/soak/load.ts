import autocannon from "autocannon";
import { percentile } from "../bench/load.ts";
import { outcomeOf, type SoakOperation, type SoakRequest } from "./mix.ts";

/** autocannon's per-connection context (reset before each request of a one-request list). */
type Context = { operation?: string };

export interface MixOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  next: () => { operation: SoakOperation; request: SoakRequest };
}

export interface OperationFigures {
  requests: number;
  /** Answers by outcome (see outcomeOf): ok, userError:<code>, error:<code>, http:<status>. */
  outcomes: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
}

export interface MixResult {
  seconds: number;
  operations: Record<string, OperationFigures>;
  /** Requests that got no answer at all (connection errors, client timeouts). */
  transportErrors: number;
  /** A few answers that were neither ok, a userError nor THROTTLED, shortened. */
  errorSamples: string[];
}

/**
 * A closed loop of `connections` keep-alive connections (autocannon) sending the mix for the duration; each answer is
 * classified and timed by operation. autocannon's per-connection context carries the operation from the request to
 * its answer; the answer's time comes with the "response" event, emitted right after onResponse for the same
 * connection (one request in flight per connection), so the last classified operation is the one it times.
 */
export function runMix(options: MixOptions): Promise<MixResult> {
  const figures = new Map<string, { outcomes: Record<string, number>; latencies: number[] }>();
  const errorSamples: string[] = [];
  let answered: string | null = null;
  const of = (name: string) => figures.get(name) ?? figures.set(name, { outcomes: {}, latencies: [] }).get(name)!;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 30,
        requests: [
          {
            method: "POST",
            setupRequest: (req, context) => {
              const { operation, request } = options.next();
              (context as Context).operation = operation.name;
              return { ...req, headers: request.headers, body: request.body };
            },
            onResponse: (status, body, context) => {
              const name = (context as Context).operation ?? "?";
              const outcome = outcomeOf(status, body);
              const entry = of(name);
              entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
              if (outcome.startsWith("error:") && outcome !== "error:THROTTLED" && errorSamples.length < 5) errorSamples.push(`${name}: HTTP ${status} ${body.slice(0, 300)}`);
              if (outcome.startsWith("http:") && errorSamples.length < 5) errorSamples.push(`${name}: HTTP ${status} ${body.slice(0, 300)}`);
              answered = name;
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const operations: Record<string, OperationFigures> = {};
        for (const [name, { outcomes, latencies }] of figures) {
          latencies.sort((a, b) => a - b);
          const requests = Object.values(outcomes).reduce((a, b) => a + b, 0);
          operations[name] = { requests, outcomes, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
        }
        resolve({ seconds: result.duration, operations, transportErrors: result.errors /* timeouts included */, errorSamples });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      if (answered !== null) of(answered).latencies.push(responseTime);
      answered = null;
    });
  });
}
