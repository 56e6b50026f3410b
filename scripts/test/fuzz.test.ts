import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "@o2o/runtime";
import { databaseState, type DatabaseState } from "./fuzz/snapshot.ts";
import { fuzzCount, fuzzSeed } from "./fuzz/random.ts";
import { generate, publicSchema, run, tally, type Outcome } from "./fuzz/run.ts";
import { CALLERS, type CallerName } from "./fuzz/request.ts";
import { eventually, startTestSupergraph, type TestSupergraph } from "./support.ts";

// Thousands of generated bad requests (O2O_FUZZ_COUNT, default 5 000; O2O_FUZZ_SEED replays a run) against the whole
// supergraph: every answer is GraphQL JSON or a 4xx in that shape with a known code and no internals, no mutation is
// accepted, no row of any subgraph changes, and the gateway is still up at the end.
const seed = fuzzSeed();
const count = fuzzCount();

// Every write scope a partner or platform key can hold (admin left out: no caller may make keys here).
const WRITE_SCOPES: Scope[] = ["inventory:read", "inventory:write", "catalog:write", "orders:read", "orders:write", "fulfillment:write", "payments:write", "members:read", "members:pii", "loyalty:write", "analytics:read", "visits:write", "services:write", "sensors:write", "replenishment:write"];

let t: TestSupergraph;
let outcomes: Outcome[];
let mutationFields: string[];
let before: DatabaseState;
let after: DatabaseState;
beforeAll(async () => {
  t = await startTestSupergraph();
  const auth: Record<CallerName, Record<string, string>> = {
    anonymous: {},
    member: t.as("aiko"),
    partnerKey: (await t.key(WRITE_SCOPES, "hoshi", { tier: "ENTERPRISE" })).headers,
    platformKey: (await t.key(WRITE_SCOPES, null, { tier: "ENTERPRISE" })).headers,
  };
  const schema = await publicSchema(t);
  mutationFields = Object.keys(schema.getMutationType()!.getFields());
  const { maxDepth, maxAliases } = t.supergraph.gatewayConfig;
  const requests = generate(seed, count, schema, { maxDepth, maxAliases });
  // The seed's start-up work (events relayed, consumers done) settles before the "before" state is taken.
  let settled = await databaseState(t);
  before = await eventually(
    async () => {
      const [previous, now] = [settled, await databaseState(t)];
      settled = now;
      return { previous, now };
    },
    ({ previous, now }) => JSON.stringify(previous) === JSON.stringify(now),
  ).then((s) => s.now);
  const started = Date.now();
  outcomes = await run(t.url, requests, auth);
  console.log(`fuzz: seed ${seed}, ${outcomes.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log("fuzz: generators", tally(outcomes.map((o) => o.request.kind.split(".")[0]!)));
  console.log("fuzz: statuses", tally(outcomes.map((o) => String(o.status))));
  const time = new Map<string, number>();
  for (const o of outcomes) time.set(o.request.kind, (time.get(o.request.kind) ?? 0) + o.ms);
  console.log("fuzz: seconds spent per generator (summed over requests)", Object.fromEntries([...time].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, ms]) => [k, Math.round(ms / 100) / 10])));
  console.log("fuzz: error codes", tally(outcomes.flatMap((o) => o.verdict.codes)));
  console.log("fuzz: mutation userErrors codes", tally(outcomes.flatMap((o) => o.verdict.userErrorCodes)));
  // Anything a refused request set in motion (there should be nothing) has had time to land.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  after = await databaseState(t);
  console.log(`fuzz: refused answers kept for idempotent replay: ${after.refusalMemos - before.refusalMemos}`);
}, 600_000);
afterAll(async () => t?.stop());

const describeRequest = (o: Outcome) => `${o.request.kind} as ${o.request.caller}: ${(o.request.body ?? o.request.path ?? "").slice(0, 300)}`;

describe(`fuzzed bad input (seed ${seed})`, () => {
  it(`sends at least 5 000 operations (this run: ${count})`, () => {
    expect(outcomes.length).toBe(count);
    if (!process.env.O2O_FUZZ_COUNT) expect(outcomes.length).toBeGreaterThanOrEqual(5_000);
    // Every mutation field was tried by every kind of caller (a full run; a short O2O_FUZZ_COUNT may not get round).
    if (count >= 5_000) {
      const covered = new Set(outcomes.map((o) => o.request.covers));
      const missing = mutationFields.flatMap((field) => CALLERS.map((caller) => `${field}@${caller}`)).filter((turn) => !covered.has(turn));
      expect(missing).toEqual([]);
    }
  });

  it("answers every one as GraphQL JSON (or a 4xx in that shape) with a known code, no internals, no 5xx", () => {
    const bad = outcomes.filter((o) => o.verdict.failures.length > 0);
    const report = bad.slice(0, 15).map((o) => `${o.verdict.failures.join("; ")}\n    ← ${describeRequest(o)}`);
    expect(report, `${bad.length} bad answers; the first:\n${report.join("\n")}`).toEqual([]);
  });

  it("accepts no fuzzed mutation", () => {
    const accepted = outcomes.filter((o) => o.verdict.accepted.length > 0).map((o) => `${o.verdict.accepted.join(",")} ← ${describeRequest(o)}`);
    expect(accepted).toEqual([]);
  });

  it("leaves every table of the five subgraphs as it was (no partial write)", () => {
    const changed = Object.keys({ ...before.tables, ...after.tables }).filter((table) => before.tables[table] !== after.tables[table]);
    expect(changed.map((table) => `${table}: ${before.tables[table]} → ${after.tables[table]}`)).toEqual([]);
    expect(Object.keys(before.tables).length).toBeGreaterThan(20);
  });

  it("is still up: /health answers and a plain query works", async () => {
    const health = await fetch(new URL("/health", t.url));
    expect(health.status).toBe(200);
    const res = await t.query<{ products: { edges: unknown[] } }>("{ products(first: 1) { edges { cursor } } }");
    expect(res.data?.products.edges).toHaveLength(1);
  });
});
