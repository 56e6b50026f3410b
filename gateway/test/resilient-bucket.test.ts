import { readMetric, registry } from "@o2o/runtime";
import { describe, expect, it } from "vitest";
import { memoryBucket, redisBucket, resilientBucket, TIERS, type Bucket } from "../src/throttle.ts";

// The gateway's bucket with REDIS_URL: Redis's shared bucket while it answers, the process's own memory bucket while
// it cannot — a caller is still limited, never waved through.
const fallbacks = async () => readMetric(await registry.metrics(), "o2o_rate_limit_fallback_total");

describe("resilient bucket", () => {
  it("limits from memory while Redis cannot answer, and counts each fallback", async () => {
    const bucket = resilientBucket(redisBucket("redis://127.0.0.1:1"), memoryBucket());
    const before = await fallbacks();
    try {
      expect(await bucket.take("k", TIERS.FREE, 500)).toMatchObject({ allowed: true, status: { currentlyAvailable: 0 } });
      const refused = await bucket.take("k", TIERS.FREE, 100);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(await bucket.refund("k", TIERS.FREE, 200)).toMatchObject({ currentlyAvailable: expect.any(Number) });
      expect((await bucket.take("k", TIERS.FREE, 150)).allowed).toBe(true);
      expect(await fallbacks()).toBe(before + 4);
    } finally {
      await bucket.close();
    }
  });

  it("uses the primary while it answers: the fallback is never touched", async () => {
    const primary = memoryBucket();
    const untouched: Bucket = {
      take: () => Promise.reject(new Error("fallback used")),
      refund: () => Promise.reject(new Error("fallback used")),
      close: async () => undefined,
    };
    const bucket = resilientBucket(primary, untouched);
    expect((await bucket.take("k", TIERS.FREE, 500)).allowed).toBe(true);
    expect((await bucket.take("k", TIERS.FREE, 100)).allowed).toBe(false);
  });

  it("does not hide other errors (a bad cost is the caller's bug, not an outage)", async () => {
    const bucket = resilientBucket(memoryBucket(), memoryBucket());
    await expect(bucket.take("k", TIERS.FREE, -1)).rejects.toThrow(RangeError);
  });
});
