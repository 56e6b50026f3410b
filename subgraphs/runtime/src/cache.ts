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
  close(): Promise<void>;
}

export function cacheFromEnv(env: NodeJS.ProcessEnv = process.env): Cache {
  return env.REDIS_URL ? redisCache(env.REDIS_URL) : memoryCache();
}

export function memoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expires <= now()) return void entries.delete(key), null;
      return entry.value;
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

export function redisCache(url: string): Cache {
  // Fail fast instead of queueing commands while Redis is away: a cache must not add latency.
  const redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
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
    close: async () => void (await quietly(() => redis.quit(), "OK")),
  };
}
