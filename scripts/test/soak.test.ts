import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCheck, memoryCheck } from "../src/soak/checks.ts";
import { runSoak, type SoakReport } from "../src/soak/run.ts";
import { startPrivateServices, type PrivateServices } from "../src/deployment/private-services.ts";

// `npm run soak`, short: the same code for 15 s on a PostgreSQL and a Redis of this file's own (whatever the env),
// with stock so short that checkouts run out while the load runs. Counts are asserted, never timings.
let services: PrivateServices;
let report: SoakReport;
beforeAll(async () => {
  services = await startPrivateServices();
  report = await runSoak({ databaseUrl: services.postgres.url, redisUrl: services.redis.url, durationSeconds: 15, connections: 4, warmupSeconds: 5, sampleSeconds: 30, stockPerRow: 4, memoryBound: 1.5 });
}, 240_000);
afterAll(async () => {
  await services?.close();
});

describe("soak (short)", () => {
  it("passes every check: no errors but THROTTLED, nothing oversold, memory bounded", () => {
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("sent every operation of the mix and answered each", () => {
    expect(Object.keys(report.mix.operations).sort()).toEqual(["category listing", "checkout", "order history", "product page", "store finder"]);
    for (const figures of Object.values(report.mix.operations)) {
      expect(figures.requests).toBeGreaterThan(0);
      expect(figures.outcomes.ok).toBeGreaterThan(0);
    }
    expect(report.mix.transportErrors).toBe(0);
  });

  it("sold the short stock exactly and refused the rest as OUT_OF_STOCK userErrors, not errors", () => {
    const checkout = report.mix.operations.checkout!;
    expect(checkout.outcomes["userError:OUT_OF_STOCK"]).toBeGreaterThan(0);
    for (const row of report.stock) {
      expect(row.quantity).toBe(0);
      expect(row.reservedAfter - row.reservedBefore).toBe(row.initial);
    }
    expect(checkout.outcomes.ok).toBe(report.stock.reduce((n, r) => n + r.initial, 0));
  });

  it("read every process's RSS at the start, after the warm-up and at the end", () => {
    expect(report.rss.map((r) => r.label)).toEqual(["start", "after warm-up", "end"]);
    for (const reading of report.rss) {
      expect(Object.keys(reading.mb)).toHaveLength(6);
      for (const mb of Object.values(reading.mb)) expect(mb).toBeGreaterThan(20);
    }
  });
});

describe("soak checks", () => {
  const mix = (outcomes: Record<string, number>, transportErrors = 0) => ({ seconds: 1, transportErrors, errorSamples: [], operations: { x: { requests: 1, outcomes, p50: 1, p95: 1, p99: 1 } } });
  it("accepts THROTTLED and userErrors; fails on any other error code, a non-GraphQL answer or a lost request", () => {
    expect(errorCheck(mix({ ok: 5, "error:THROTTLED": 2, "userError:OUT_OF_STOCK": 3 })).ok).toBe(true);
    expect(errorCheck(mix({ ok: 5, "error:INTERNAL_SERVER_ERROR": 1 })).ok).toBe(false);
    expect(errorCheck(mix({ ok: 5, "http:502": 1 })).ok).toBe(false);
    expect(errorCheck(mix({ ok: 5 }, 1)).ok).toBe(false);
  });

  it("fails a process whose RSS grew beyond the bound after the warm-up", () => {
    const warm = { label: "after warm-up", at: 5, mb: { gateway: 200, products: 150 } };
    expect(memoryCheck(warm, { label: "end", at: 15, mb: { gateway: 290, products: 150 } }, 1.5).ok).toBe(true);
    expect(memoryCheck(warm, { label: "end", at: 15, mb: { gateway: 310, products: 150 } }, 1.5).ok).toBe(false);
    expect(memoryCheck(warm, { label: "end", at: 15, mb: { gateway: 200, products: null } }, 1.5).ok).toBe(false);
  });
});
