import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { invalidateEntities, redisCache, SUBGRAPH_NAMES, type DatabaseTarget } from "@o2o/runtime";
import { createTestDatabase } from "@o2o/runtime/testing";
import { startDeployment, type Deployment, type ServiceProcess } from "../deployment/deployment.ts";
import { insertBenchData } from "../bench/bench-data.ts";
import { rssMb } from "../bench/processes.ts";
import { errorCheck, memoryCheck, readStock, setSoakStock, stockChecks, type Check, type RssSample, type StockRow } from "./checks.ts";
import { runMix, type MixResult } from "./load.ts";
import { mixer, soakOperations, soakStockRows } from "./mix.ts";

export interface SoakOptions {
  /** A PostgreSQL server: the soak creates a throwaway database on it and drops it at the end. */
  databaseUrl: string;
  redisUrl: string;
  durationSeconds: number;
  connections: number;
  /** The RSS reading the memory bound compares the end against is taken this many seconds into the load. */
  warmupSeconds: number;
  /** RSS of every process every this many seconds. */
  sampleSeconds: number;
  /** Units on each of the three stock rows checkouts take from: fewer than the checkouts, so some are refused. */
  stockPerRow: number;
  /** Allowed end RSS / after-warm-up RSS. */
  memoryBound: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  startedAt: string;
  settings: Omit<SoakOptions, "log" | "databaseUrl" | "redisUrl">;
  startSeconds: number;
  mix: MixResult;
  rss: RssSample[];
  stock: StockRow[];
  checks: Check[];
  ok: boolean;
}

/**
 * The deployed shape as processes (five subgraphs and a gateway, each its own `node`, scripts/src/deployment) on a
 * throwaway PostgreSQL database and this run's own Redis namespace (event stream, cache and rate-limit keys), loaded
 * with the storefront mix for the duration; then the checks. Loopback only.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const run = randomBytes(4).toString("hex");
  const namespace = { O2O_EVENT_STREAM: `o2o:soak:${run}`, O2O_CACHE_PREFIX: `o2o:soak:${run}:` };
  const db = await createTestDatabase({ DATABASE_URL: options.databaseUrl });
  const target = db.target as DatabaseTarget & { kind: "postgres"; url: string };
  let deployment: Deployment | null = null;
  try {
    const began = Date.now();
    log(`starting 5 subgraphs + gateway as processes on database ${new URL(target.url).pathname.slice(1)}, Redis namespace o2o:soak:${run} …`);
    deployment = await startDeployment({
      databaseUrl: target.url,
      redisUrl: options.redisUrl,
      // Every shopper of the soak comes from 127.0.0.1: one anonymous bucket for all of them would throttle the soak
      // into measuring the limiter. Still metered (THROTTLED counts as an allowed outcome), practically never refused.
      env: { ...namespace, GATEWAY_ANONYMOUS_TIER: "INTERNAL", GATEWAY_MEMBER_TIER: "INTERNAL" },
    });
    const startSeconds = (Date.now() - began) / 1000;
    log(`  up in ${startSeconds.toFixed(1)} s`);
    await insertBenchData(target);
    const rows = soakStockRows();
    await setSoakStock(target, rows, options.stockPerRow);
    // A direct write: drop what the subgraphs cached about these products, as the stores subgraph itself would.
    const cache = redisCache(options.redisUrl, namespace.O2O_CACHE_PREFIX);
    await invalidateEntities(cache, "stores", "Product", rows.map((r) => r.productId));
    await cache.close();
    const before = await readStock(target, rows);

    const processes = [...SUBGRAPH_NAMES.flatMap((name) => deployment!.subgraphs[name]), ...deployment.gateways];
    const rss: RssSample[] = [];
    const loadStart = Date.now();
    const sample = (label: string) => {
      const reading = { label, at: Math.round((Date.now() - loadStart) / 1000), mb: readRss(processes) };
      rss.push(reading);
      log(`  RSS ${label} (${reading.at} s): ${Object.entries(reading.mb).map(([n, mb]) => `${n} ${mb}`).join(", ")} MB`);
    };
    sample("start");
    const timers = [
      setTimeout(() => sample("after warm-up"), options.warmupSeconds * 1000),
      setInterval(() => sample("every 30 s"), options.sampleSeconds * 1000),
    ];
    log(`load: ${options.connections} connections for ${options.durationSeconds} s …`);
    let mix: MixResult;
    try {
      mix = await runMix({ url: deployment.gatewayUrl, connections: options.connections, durationSeconds: options.durationSeconds, next: mixer(soakOperations(deployment.secrets.memberToken)) });
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
    // Checkouts still in flight when the clock ran out finish on the server before anything is counted.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    sample("end");

    const after = await readStock(target, rows);
    const stock: StockRow[] = before.map((b, i) => ({ storeId: b.storeId, productId: b.productId, initial: options.stockPerRow, quantity: after[i]!.quantity, reservedBefore: b.reserved, reservedAfter: after[i]!.reserved }));
    const placed = mix.operations.checkout?.outcomes.ok ?? 0;
    const warm = rss.find((r) => r.label === "after warm-up") ?? rss[0]!;
    const checks: Check[] = [errorCheck(mix), ...(await stockChecks(target, stock, placed, options.connections)), memoryCheck(warm, rss.at(-1)!, options.memoryBound)];
    const { log: _, databaseUrl: __, redisUrl: ___, ...settings } = options;
    return { startedAt, settings, startSeconds, mix, rss, stock, checks, ok: checks.every((c) => c.ok) };
  } finally {
    await deployment?.stop();
    await db.drop();
    await dropNamespace(options.redisUrl, namespace.O2O_EVENT_STREAM, namespace.O2O_CACHE_PREFIX);
  }
}

function readRss(processes: ServiceProcess[]): Record<string, number | null> {
  return Object.fromEntries(processes.map((p) => {
    const pid = p.pid();
    return [p.name, pid === null ? null : rssMb(pid)];
  }));
}

/** The run's event stream and every cache and bucket key under its prefix: nothing of the soak stays in Redis. */
async function dropNamespace(url: string, stream: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.del(stream);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
