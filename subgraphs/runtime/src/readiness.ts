import type { ServerResponse } from "node:http";
import { Redis } from "ioredis";
import pg from "pg";
import type { DatabaseTarget } from "./db.ts";
import type { ExtraRoute } from "./http.ts";
import { logger } from "./logger.ts";

/** One dependency's check: resolves when it answers, throws (with a short reason) when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** How long one check may take before it counts as failed (every check runs at once, so /ready answers within it). */
export const READY_CHECK_TIMEOUT_MS = 1_000;

export interface Readiness {
  /** GET /ready: 200 `{status:"ready", checks}` when every check passed; 503 naming the failing ones (`draining` during a stop: http.ts). */
  route: ExtraRoute;
  /** Closes the connections the checks opened. */
  close(): Promise<void>;
}

export interface CloseableCheck {
  check: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * Readiness ("can this instance serve now?") apart from liveness (/health: "is the process alive?"). A failing
 * dependency makes /ready 503 so a load balancer routes around the instance, while /health stays 200 so nothing
 * restarts it for another service's outage. Failure reasons are short words, never addresses or driver messages.
 */
export function readiness(service: string, checks: Record<string, ReadinessCheck | CloseableCheck>): Readiness {
  const run = async (name: string, entry: ReadinessCheck | CloseableCheck): Promise<[string, string]> => {
    const check = typeof entry === "function" ? entry : entry.check;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), READY_CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([check(), timeout]);
      return [name, "ok"];
    } catch (err) {
      const reason = (err as Error).message === "timeout" ? "timeout" : err instanceof CheckFailed ? err.message : "unavailable";
      logger.warn({ service, check: name, reason, err: (err as Error).message }, "readiness check failed");
      return [name, reason];
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    route: async (_req, res) => {
      const results = Object.fromEntries(await Promise.all(Object.entries(checks).map(([name, check]) => run(name, check))));
      const failing = Object.keys(results).filter((name) => results[name] !== "ok");
      send(res, failing.length ? 503 : 200, failing.length ? { status: "unavailable", service, failing, checks: results } : { status: "ready", service, checks: results });
    },
    close: async () => {
      await Promise.all(Object.values(checks).map((c) => (typeof c === "function" ? undefined : c.close())));
    },
  };
}

/** A check failure whose message is safe to show on /ready (e.g. "HTTP 503"). */
class CheckFailed extends Error {}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

/** `SELECT 1` on the subgraph's database: PGlite in process, or one pooled connection to PostgreSQL (opened on first use). */
export function databaseCheck(target: DatabaseTarget): CloseableCheck {
  if (target.kind === "pglite") return { check: async () => void (await target.pglite.query("SELECT 1")), close: async () => undefined };
  let pool: pg.Pool | undefined;
  return {
    check: async () => {
      if (!pool) {
        pool = new pg.Pool({ connectionString: target.url, max: 1, connectionTimeoutMillis: READY_CHECK_TIMEOUT_MS, idleTimeoutMillis: 30_000 });
        // A dropped connection must not surface as an unhandled 'error' event; the next check opens another.
        pool.on("error", () => undefined);
      }
      await pool.query("SELECT 1");
    },
    close: async () => {
      const open = pool;
      pool = undefined;
      await open?.end();
    },
  };
}

/** PING on a connection of its own (opened on first use), so a check never waits behind cache or bus traffic. */
export function redisCheck(url: string): CloseableCheck {
  let redis: Redis | undefined;
  return {
    check: async () => {
      redis ??= new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, connectTimeout: READY_CHECK_TIMEOUT_MS }).on("error", () => undefined);
      if ((await redis.ping()) !== "PONG") throw new CheckFailed("bad answer");
    },
    // disconnect, not quit: quit would wait for a Redis that is away.
    close: async () => {
      redis?.disconnect();
      redis = undefined;
    },
  };
}

/** GET <base>/health of a service the caller depends on (the gateway's subgraphs). */
export function httpCheck(url: string): ReadinessCheck {
  const health = new URL("/health", url).toString();
  return async () => {
    let status: number;
    try {
      const response = await fetch(health, { signal: AbortSignal.timeout(READY_CHECK_TIMEOUT_MS) });
      status = response.status;
      await response.body?.cancel();
    } catch (err) {
      throw new CheckFailed((err as Error).name === "TimeoutError" ? "timeout" : "unreachable");
    }
    if (status !== 200) throw new CheckFailed(`HTTP ${status}`);
  };
}

/** The Redis check when REDIS_URL is configured, for the services that use it. */
export const redisChecks = (env: NodeJS.ProcessEnv = process.env): Record<string, CloseableCheck> => (env.REDIS_URL ? { redis: redisCheck(env.REDIS_URL) } : {});
