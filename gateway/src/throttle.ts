import { Redis } from "ioredis";
import { logger, rateLimitFallbacks } from "@o2o/runtime";

/**
 * Per-caller leaky buckets, like Shopify's: a bucket holds up to `maximumAvailable` points and
 * refills at `restoreRate` points per second. An operation's requested cost (cost.ts) is taken from
 * it up front; a bucket holding less than the cost refuses (nothing is taken) and says how many
 * seconds until it would hold enough; the difference to the actual cost is given back afterwards.
 *
 * A cost larger than `maximumAvailable` can never be taken (the answer is always "retry later"): the
 * gateway refuses such operations before they reach the bucket. A key never seen, or idle long
 * enough to have refilled, holds a full bucket.
 *
 * Two kinds: `memoryBucket` (one process, embedded mode) and `redisBucket` (every gateway replica
 * shares one bucket per key). The Redis bucket does refill-and-take in one Lua script on Redis's own
 * clock, so it is atomic across replicas and replicas with skewed clocks agree. When Redis cannot be
 * reached it throws BucketUnavailableError promptly instead of waiting; `resilientBucket` (what the gateway
 * uses with REDIS_URL) then limits per process with a memory bucket until Redis is back.
 */
export interface Tier {
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export const TIERS = {
  FREE: { maximumAvailable: 500, restoreRate: 25 },
  STANDARD: { maximumAvailable: 1000, restoreRate: 50 },
  PLUS: { maximumAvailable: 2000, restoreRate: 100 },
  ENTERPRISE: { maximumAvailable: 10000, restoreRate: 500 },
  /** First-party servers (a storefront's own backend) and the benchmark: still metered, practically never refused. */
  INTERNAL: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
} as const satisfies Record<string, Tier>;
export type TierName = keyof typeof TIERS;

/** What a caller is told about its bucket (Shopify's `throttleStatus`); points are whole numbers. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface Taken {
  allowed: boolean;
  status: ThrottleStatus;
  /** 0 when allowed; else whole seconds until the bucket holds the cost. */
  retryAfterSeconds: number;
}

export interface Bucket {
  /** Refills by the time elapsed, then takes `cost` if the bucket holds that much (else takes nothing). */
  take(key: string, tier: Tier, cost: number): Promise<Taken>;
  /** Gives back points (the actual cost came out below the requested one), up to the maximum. */
  refund(key: string, tier: Tier, points: number): Promise<ThrottleStatus>;
  close(): Promise<void>;
}

/** The Redis bucket could not answer (unreachable, timed out, or refused the command). */
export class BucketUnavailableError extends Error {
  override readonly name = "BucketUnavailableError";
}

export const DEFAULT_BUCKET_PREFIX = "o2o:bucket:";
/** How long the Redis bucket waits for a connection or an answer before BucketUnavailableError. */
export const DEFAULT_BUCKET_TIMEOUT_MS = 500;
/** How often the memory bucket forgets keys that have refilled (they are the same as absent ones). */
const SWEEP_INTERVAL_MS = 60_000;

export function memoryBucket(now: () => number = Date.now): Bucket {
  // `full` is when the bucket will be full again: from then on the entry is the same as no entry.
  const buckets = new Map<string, { available: number; at: number; full: number }>();
  let swept = now();
  const settle = (key: string, tier: Tier, change: (available: number) => number) => {
    const at = now();
    if (at - swept >= SWEEP_INTERVAL_MS) {
      for (const [k, b] of buckets) if (b.full <= at) buckets.delete(k);
      swept = at;
    }
    const previous = buckets.get(key);
    const refilled = previous ? Math.min(tier.maximumAvailable, previous.available + (Math.max(0, at - previous.at) / 1000) * tier.restoreRate) : tier.maximumAvailable;
    const available = Math.min(tier.maximumAvailable, change(refilled));
    buckets.set(key, { available, at, full: at + ((tier.maximumAvailable - available) / tier.restoreRate) * 1000 });
    return { refilled, available };
  };
  return {
    async take(key, tier, cost) {
      checkArguments(tier, cost);
      const { refilled, available } = settle(key, tier, (points) => (points >= cost ? points - cost : points));
      const allowed = refilled >= cost;
      return { allowed, status: statusOf(tier, available), retryAfterSeconds: allowed ? 0 : retryAfter(tier, cost, available) };
    },
    async refund(key, tier, points) {
      checkArguments(tier, points);
      return statusOf(tier, settle(key, tier, (available) => available + points).available);
    },
    async close() {
      buckets.clear();
    },
  };
}

/**
 * KEYS[1]: the bucket's hash {available, at (ms, Redis's clock)}. ARGV: maximum, restore rate per
 * second, points, "take" | "refund". Returns {allowed 0/1, whole points available, retry-after s}.
 * The hash expires when the bucket would be full again, so idle keys vanish (absent = full).
 */
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end -- Redis < 5: allow writes after TIME
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local points = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(state[1])
local at = tonumber(state[2])
if available == nil or at == nil then
  available = maximum
else
  available = math.min(maximum, available + math.max(0, now - at) / 1000 * rate)
end
local allowed = 1
local retry = 0
if ARGV[4] == 'refund' then
  available = math.min(maximum, available + points)
elseif available >= points then
  available = available - points
else
  allowed = 0
  retry = math.ceil((points - available) / rate)
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - available) / rate * 1000) + 1000)
return { allowed, math.floor(available), retry }
`;

type BucketScript = (key: string, maximum: number, restoreRate: number, points: number, mode: "take" | "refund") => Promise<[number, number, number]>;

export interface RedisBucketOptions {
  /** Prepended to every key (default "o2o:bucket:"); tests use their own to stay apart. */
  prefix?: string;
  /** Milliseconds to wait for a connection or an answer (default 500). */
  timeoutMs?: number;
}

export function redisBucket(url: string, options: RedisBucketOptions = {}): Bucket {
  const prefix = options.prefix ?? DEFAULT_BUCKET_PREFIX;
  const timeoutMs = options.timeoutMs ?? DEFAULT_BUCKET_TIMEOUT_MS;
  // Fail fast instead of queueing while Redis is away (as the runtime cache does), and bound each
  // command: a bucket must not make requests wait.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: timeoutMs });
  // ioredis retries the connection every few seconds and reports each failure: log once per outage.
  let down = false;
  redis.on("error", (err: Error) => {
    if (!down) logger.warn({ err: err.message }, "rate-limit bucket: redis unavailable");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("rate-limit bucket: redis back");
    down = false;
  });
  redis.defineCommand("o2oBucket", { numberOfKeys: 1, lua: SCRIPT });
  const script = (redis as unknown as { o2oBucket: BucketScript }).o2oBucket.bind(redis);

  // Right after start the connection is still being made: requests wait for it briefly (all on one
  // promise) rather than fail. A connection that has failed (reconnecting, closed) fails them at once.
  let connecting: Promise<void> | null = null;
  const connected = (): Promise<void> => {
    if (redis.status === "ready") return Promise.resolve();
    if (!["wait", "connecting", "connect"].includes(redis.status)) return Promise.reject(new Error(`connection is ${redis.status}`));
    connecting ??= ready(redis, timeoutMs).finally(() => void (connecting = null));
    return connecting;
  };

  const run = async (key: string, tier: Tier, points: number, mode: "take" | "refund") => {
    checkArguments(tier, points);
    try {
      await connected();
      const [allowed, available, retry] = await script(prefix + key, tier.maximumAvailable, tier.restoreRate, points, mode);
      return { allowed: allowed === 1, status: statusOf(tier, available), retryAfterSeconds: retry };
    } catch (err) {
      throw new BucketUnavailableError(`The rate-limit bucket (Redis) could not answer: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    take: (key, tier, cost) => run(key, tier, cost, "take"),
    refund: async (key, tier, points) => (await run(key, tier, points, "refund")).status,
    async close() {
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** Resolves when the connection is ready; rejects on its first error, on close, or after `timeoutMs`. */
function ready(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      redis.off("ready", onReady).off("error", done).off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onClose = () => done(new Error("connection closed"));
    const timer = setTimeout(() => done(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    redis.once("ready", onReady).once("error", done).once("close", onClose);
  });
}

const statusOf = (tier: Tier, available: number): ThrottleStatus => ({
  maximumAvailable: tier.maximumAvailable,
  currentlyAvailable: Math.floor(available),
  restoreRate: tier.restoreRate,
});

const retryAfter = (tier: Tier, cost: number, available: number) => Math.ceil((cost - available) / tier.restoreRate);

function checkArguments(tier: Tier, points: number): void {
  if (!(tier.maximumAvailable > 0 && tier.restoreRate > 0)) throw new RangeError(`A tier needs a positive maximum and restore rate, not ${JSON.stringify(tier)}.`);
  if (!(Number.isFinite(points) && points >= 0)) throw new RangeError(`Points must be a finite number >= 0, not ${points}.`);
}

/**
 * The Redis bucket, degraded rather than dropped: while it cannot answer (BucketUnavailableError), each gateway process
 * takes from its own `fallback` memory bucket instead, so a caller is still limited, per replica (at most N times its
 * limit across N replicas) instead of not at all. Each fallback is counted (o2o_rate_limit_fallback_total) and the
 * switch is logged once per outage. Redis is asked first on every call, so the shared bucket is back as soon as Redis
 * is; a refund goes to whichever bucket answers then (at worst a few points land in the other one).
 */
export function resilientBucket(primary: Bucket, fallback: Bucket = memoryBucket()): Bucket {
  let degraded = false;
  const attempt = async <T>(operation: "take" | "refund", onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T> => {
    try {
      const result = await onPrimary();
      if (degraded) logger.info("rate-limit bucket: Redis answers again; buckets are shared across replicas again");
      degraded = false;
      return result;
    } catch (err) {
      if (!(err instanceof BucketUnavailableError)) throw err;
      if (!degraded) logger.warn({ err: err.message }, "rate-limit bucket: Redis unavailable; limiting per process (memory bucket) until it returns");
      degraded = true;
      rateLimitFallbacks.labels({ operation }).inc();
      return onFallback();
    }
  };
  return {
    take: (key, tier, cost) => attempt("take", () => primary.take(key, tier, cost), () => fallback.take(key, tier, cost)),
    refund: (key, tier, points) => attempt("refund", () => primary.refund(key, tier, points), () => fallback.refund(key, tier, points)),
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}

/**
 * Redis-backed buckets when REDIS_URL is set (every replica shares one bucket per caller; per-process buckets while
 * Redis is unavailable: resilientBucket), else in memory. O2O_CACHE_PREFIX, when set, namespaces the buckets as it does
 * the cache: deployments sharing one Redis (a soak run beside the tests) must not drain each other's `ip:127.0.0.1`.
 */
export const bucketFromEnv = (env: NodeJS.ProcessEnv = process.env): Bucket =>
  env.REDIS_URL ? resilientBucket(redisBucket(env.REDIS_URL, env.O2O_CACHE_PREFIX ? { prefix: `${env.O2O_CACHE_PREFIX}bucket:` } : {})) : memoryBucket();
