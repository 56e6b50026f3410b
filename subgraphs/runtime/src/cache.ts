import { Redis } from "ioredis";
import { logger } from "./logger.ts";

/**
 * A small key/value cache with TTLs: Redis (ioredis) when REDIS_URL is set, so every replica shares
 * it; process memory otherwise (embedded mode). Cache failures never fail a request: a read that
 * cannot reach Redis is a miss, a write is skipped, and both are logged.
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Several keys in one round trip (Redis MGET), in order; null for each missing one. */
  getMany(keys: string[]): Promise<(string | null)[]>;
  /** Adds one to each counter (created at 0) and keeps it for `ttlSeconds` from now (the entity cache's tag versions). */
  bump(keys: string[], ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * REDIS_URL: Redis; O2O_CACHE_PREFIX (optional) is put before every key, so deployments (or test runs) sharing one
 * Redis never read each other's entries. Gateway and subgraphs of one deployment must use the same prefix.
 */
export function cacheFromEnv(env: NodeJS.ProcessEnv = process.env): Cache {
  return env.REDIS_URL ? redisCache(env.REDIS_URL, env.O2O_CACHE_PREFIX) : memoryCache();
}

export function memoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, { value: string; expires: number }>();
  const read = (key: string): string | null => {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expires <= now()) return void entries.delete(key), null;
    return entry.value;
  };
  return {
    get: async (key) => read(key),
    getMany: async (keys) => keys.map(read),
    async bump(keys, ttlSeconds) {
      for (const key of keys) entries.set(key, { value: String(Number(read(key) ?? 0) + 1), expires: now() + ttlSeconds * 1000 });
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expires: now() + ttlSeconds * 1000 });
    },
    async del(key) {
      entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}

export function redisCache(url: string, keyPrefix = ""): Cache {
  // Fail fast instead of queueing commands while Redis is away: a cache must not add latency.
  const redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, keyPrefix });
  redis.on("error", (err: Error) => logger.warn({ err: err.message }, "redis cache unavailable"));
  // Without an offline queue, commands sent before the first connection is up fail at once: the first
  // requests after a start would all miss. They wait for it (at most 1 s) instead; later outages fail fast.
  const firstConnection = new Promise<void>((resolve) => {
    redis.once("ready", resolve);
    setTimeout(resolve, 1000).unref();
  });
  const quietly = async <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      await firstConnection;
      return await op();
    } catch {
      return fallback;
    }
  };
  return {
    get: (key) => quietly(() => redis.get(key), null),
    set: (key, value, ttl) => quietly(async () => void (await redis.set(key, value, "EX", ttl)), undefined),
    del: (key) => quietly(async () => void (await redis.del(key)), undefined),
    getMany: (keys) => (keys.length ? quietly(() => redis.mget(keys), keys.map(() => null)) : Promise.resolve([])),
    bump: (keys, ttl) =>
      quietly(async () => {
        const batch = redis.multi();
        for (const key of keys) batch.incr(key).expire(key, ttl);
        await batch.exec();
      }, undefined),
    close: async () => void (await quietly(() => redis.quit(), "OK")),
  };
}
