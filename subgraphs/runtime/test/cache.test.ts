import { describe, expect, it } from "vitest";
import { memoryCache, redisCache, type Cache } from "../src/cache.ts";

async function behavesLikeACache(cache: Cache) {
  const key = `test:${Math.random()}`;
  expect(await cache.get(key)).toBeNull();
  await cache.set(key, "v", 60);
  expect(await cache.get(key)).toBe("v");
  await cache.del(key);
  expect(await cache.get(key)).toBeNull();
  // Tag versions (cache-tags.ts): counters from nothing, read back together with other keys in one call.
  const [a, b] = [`${key}:a`, `${key}:b`];
  await cache.set(a, "x", 60);
  await cache.bump([b], 60);
  await cache.bump([b], 60);
  expect(await cache.getMany([a, b, `${key}:none`])).toEqual(["x", "2", null]);
  expect(await cache.getMany([])).toEqual([]);
}

describe("cache", () => {
  it("in memory: stores, expires and deletes, keeps tag versions", async () => {
    let now = 0;
    const cache = memoryCache(() => now);
    await behavesLikeACache(cache);
    await cache.set("k", "v", 10);
    now = 10_001;
    expect(await cache.get("k")).toBeNull();
  });

  // Runs in CI's PostgreSQL + Redis pass (REDIS_URL set); reported as skipped in the embedded pass.
  it.runIf(process.env.REDIS_URL)("in Redis: stores, expires and deletes", async () => {
    const cache = redisCache(process.env.REDIS_URL!);
    try {
      await new Promise((r) => setTimeout(r, 200));
      await behavesLikeACache(cache);
    } finally {
      await cache.close();
    }
  });

  it.runIf(process.env.REDIS_URL)("in Redis with a key prefix: deployments sharing one Redis never see each other's keys", async () => {
    const [one, other] = [redisCache(process.env.REDIS_URL!, `test:${Math.random()}:`), redisCache(process.env.REDIS_URL!, `test:${Math.random()}:`)];
    try {
      await one.set("shared-name", "one", 60);
      expect(await one.get("shared-name")).toBe("one");
      expect(await other.get("shared-name")).toBeNull();
    } finally {
      await Promise.all([one.close(), other.close()]);
    }
  });

  it("with Redis unreachable: every call is a miss or a no-op, never an error", async () => {
    const cache = redisCache("redis://127.0.0.1:1");
    try {
      await cache.set("k", "v", 10);
      expect(await cache.get("k")).toBeNull();
      await cache.del("k");
      await cache.bump(["k"], 10);
      expect(await cache.getMany(["k", "l"])).toEqual([null, null]);
    } finally {
      await cache.close();
    }
  });
});
