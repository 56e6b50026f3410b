import { randomUUID } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { BucketUnavailableError, memoryBucket, redisBucket, TIERS, type Bucket, type Tier } from "../src/throttle.ts";

describe("memory bucket", () => {
  const clock = () => {
    let t = 1_700_000_000_000;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it("starts full and takes the cost", async () => {
    const bucket = memoryBucket(clock().now);
    expect(await bucket.take("k", TIERS.FREE, 100)).toEqual({ allowed: true, status: { maximumAvailable: 500, currentlyAvailable: 400, restoreRate: 25 }, retryAfterSeconds: 0 });
  });

  it("refuses what it does not hold, takes nothing, and says exactly when to retry", async () => {
    const { now, advance } = clock();
    const bucket = memoryBucket(now);
    expect((await bucket.take("k", TIERS.FREE, 500)).allowed).toBe(true);
    expect(await bucket.take("k", TIERS.FREE, 30)).toEqual({ allowed: false, status: { maximumAvailable: 500, currentlyAvailable: 0, restoreRate: 25 }, retryAfterSeconds: 2 });
    advance(1000); // 25 back
    const early = await bucket.take("k", TIERS.FREE, 30);
    expect([early.allowed, early.status.currentlyAvailable, early.retryAfterSeconds]).toEqual([false, 25, 1]);
    advance(200); // 30 back
    const onTime = await bucket.take("k", TIERS.FREE, 30);
    expect([onTime.allowed, onTime.status.currentlyAvailable, onTime.retryAfterSeconds]).toEqual([true, 0, 0]);
    advance(10); // 0.25 points: reported as whole points, kept exactly
    const fraction = await bucket.take("k", TIERS.FREE, 1);
    expect([fraction.allowed, fraction.status.currentlyAvailable, fraction.retryAfterSeconds]).toEqual([false, 0, 1]);
  });

  it("refills by elapsed time up to the maximum", async () => {
    const { now, advance } = clock();
    const bucket = memoryBucket(now);
    await bucket.take("k", TIERS.STANDARD, 1000);
    advance(4000);
    expect((await bucket.take("k", TIERS.STANDARD, 0)).status.currentlyAvailable).toBe(200);
    advance(3_600_000); // also past the sweep that forgets full buckets
    expect((await bucket.take("k", TIERS.STANDARD, 0)).status.currentlyAvailable).toBe(1000);
    expect((await bucket.take("k", TIERS.STANDARD, 10)).status.currentlyAvailable).toBe(990);
  });

  it("refunds up to the maximum", async () => {
    const bucket = memoryBucket(clock().now);
    await bucket.take("k", TIERS.FREE, 100);
    expect(await bucket.refund("k", TIERS.FREE, 50)).toEqual({ maximumAvailable: 500, currentlyAvailable: 450, restoreRate: 25 });
    expect((await bucket.refund("k", TIERS.FREE, 1000)).currentlyAvailable).toBe(500);
  });

  it("keeps one bucket per key", async () => {
    const bucket = memoryBucket(clock().now);
    await bucket.take("a", TIERS.FREE, 500);
    expect((await bucket.take("a", TIERS.FREE, 1)).allowed).toBe(false);
    expect((await bucket.take("b", TIERS.FREE, 1)).allowed).toBe(true);
  });

  it("rejects a negative or non-finite cost", async () => {
    const bucket = memoryBucket();
    await expect(bucket.take("k", TIERS.FREE, -1)).rejects.toThrow(RangeError);
    await expect(bucket.refund("k", TIERS.FREE, Number.NaN)).rejects.toThrow(RangeError);
  });
});

describe("redis bucket without redis", () => {
  it("throws BucketUnavailableError quickly when Redis cannot be reached", async () => {
    const bucket = redisBucket("redis://127.0.0.1:1");
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = Date.now();
        await expect(bucket.take("k", TIERS.FREE, 1)).rejects.toBeInstanceOf(BucketUnavailableError);
        expect(Date.now() - started).toBeLessThan(1000);
      }
      await expect(bucket.refund("k", TIERS.FREE, 1)).rejects.toBeInstanceOf(BucketUnavailableError);
    } finally {
      await bucket.close();
    }
  });

  it("gives up within its timeout on a server that accepts but never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const bucket = redisBucket(`redis://127.0.0.1:${port}`, { timeoutMs: 200 });
    try {
      const started = Date.now();
      await expect(bucket.take("k", TIERS.FREE, 1)).rejects.toBeInstanceOf(BucketUnavailableError);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await bucket.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe.runIf(process.env.REDIS_URL)("redis bucket", () => {
  const url = process.env.REDIS_URL ?? "";
  const prefix = `o2o:test:bucket:${randomUUID()}:`;
  const buckets: Bucket[] = [];
  const open = () => {
    const bucket = redisBucket(url, { prefix });
    buckets.push(bucket);
    return bucket;
  };
  const small: Tier = { maximumAvailable: 100, restoreRate: 1 };

  afterAll(async () => {
    await Promise.all(buckets.map((b) => b.close()));
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("lets exactly a burst's worth through, even all at once", async () => {
    const bucket = open();
    const results = await Promise.all(Array.from({ length: 15 }, () => bucket.take("burst", small, 10)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.status).toEqual({ maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 1 });
      expect(r.retryAfterSeconds).toBe(10);
    }
  });

  it("is one bucket for every replica (separate connections)", async () => {
    const [a, b] = [open(), open()];
    expect((await a.take("shared", small, 60)).allowed).toBe(true);
    const refused = await b.take("shared", small, 60);
    expect([refused.allowed, refused.status.currentlyAvailable, refused.retryAfterSeconds]).toEqual([false, 40, 20]);
    expect((await b.take("shared", small, 40)).allowed).toBe(true);
    expect((await a.take("shared", small, 10)).allowed).toBe(false);

    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).take("race", small, 10)));
    expect(racing.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("refills over real time and refunds up to the maximum", async () => {
    const bucket = open();
    const fast: Tier = { maximumAvailable: 100, restoreRate: 100 };
    expect((await bucket.take("refill", fast, 100)).allowed).toBe(true);
    const empty = await bucket.take("refill", fast, 50);
    expect([empty.allowed, empty.retryAfterSeconds]).toEqual([false, 1]);
    await sleep(300);
    const refilled = await bucket.take("refill", fast, 0);
    expect(refilled.status.currentlyAvailable).toBeGreaterThanOrEqual(29);
    expect(refilled.status.currentlyAvailable).toBeLessThan(60);
    expect((await bucket.take("refill", fast, 25)).allowed).toBe(true);
    expect(await bucket.refund("refill", fast, 1000)).toEqual({ maximumAvailable: 100, currentlyAvailable: 100, restoreRate: 100 });
  });

  it("stores a hash under the prefix that expires once the bucket would be full", async () => {
    const bucket = open();
    const key = "ip:::1 ü {tag} *";
    await bucket.take(key, { maximumAvailable: 100, restoreRate: 100 }, 50);
    const redis = new Redis(url);
    try {
      expect(Object.keys(await redis.hgetall(prefix + key)).sort()).toEqual(["at", "available"]);
      const ttl = await redis.pttl(prefix + key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(500 + 1000);
    } finally {
      await redis.quit();
    }
  });
});
