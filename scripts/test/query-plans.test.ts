import { MemoryBus, type DatabaseTarget } from "@o2o/runtime";
import { createTestDatabase, type TestDatabase } from "@o2o/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explain, HOT_STATEMENTS, indexesUsed, matchingPlan, recordHotStatements, seqScans, tomorrowInTokyo, type HotStatement, type HotStatementSpec } from "../src/seed-scale/hot-queries.ts";
import { startSupergraph, type RunningSupergraph } from "../src/supergraph.ts";

/**
 * The hot read paths keep an index under them (issue 7, scale). On the small demo seed the planner would rightly
 * read a few pages sequentially, so each statement is EXPLAINed with `enable_seqscan = off`: an index it can use
 * then shows up by name, and a dropped index or a query reshaped past its index fails here. The statements are the
 * ones the resolvers really sent for the persisted operations (recorded through the runtime), not copies.
 * `npm run seed-scale -- --explain` shows the same plans, with timings, on the scale data set.
 */

const GINZA = { lat: 35.6717, lng: 139.765 };

let db: TestDatabase;
let target: DatabaseTarget;
let supergraph: RunningSupergraph;
let found: HotStatement[];
let missing: HotStatementSpec[];

beforeAll(async () => {
  db = await createTestDatabase();
  target = db.target;
  supergraph = await startSupergraph({ target, ports: "any", seed: true, bus: new MemoryBus(), gateway: { anonymousTier: "ENTERPRISE", cache: false } });
  ({ found, missing } = await recordHotStatements(supergraph.gatewayUrl, { sku: "HAN-001", near: GINZA, categorySlug: "cosmetics", pickupDate: tomorrowInTokyo() }));
});
afterAll(async () => {
  await supergraph?.stop();
  await db?.drop();
});

describe("query plans of the hot read paths", () => {
  it("sees every hot statement the operations send", () => {
    expect(missing.map((s) => s.label)).toEqual([]);
    expect(found).toHaveLength(HOT_STATEMENTS.length);
  });

  it.each(HOT_STATEMENTS.map((spec) => [spec.label, spec] as const))("%s: uses its index", async (_label, spec) => {
    const hot = found.find((h) => h.label === spec.label);
    expect(hot, `${spec.label} was not sent`).toBeDefined();
    const { plan } = await explain(target, hot!.statement, { seqscanOff: true });
    expect(matchingPlan(spec, plan), `uses ${indexesUsed(plan).join(", ") || "no index"}; expected one of ${JSON.stringify(spec.plans)}`).toBeDefined();
    expect(seqScans(plan)).toEqual([]);
  });

  it("pages the category listing by keyset, never by OFFSET beyond 0", () => {
    const pages = found.filter((h) => h.operation === "ProductSearch" || h.operation === "ProductSearchPage2").filter((h) => h.label.startsWith("category listing: "));
    for (const page of pages) {
      const offset = /OFFSET \$(\d+)/.exec(page.statement.sql);
      // Prisma always writes OFFSET; its argument must be 0 (the cursor does the skipping).
      if (offset) expect(String(page.statement.args[Number(offset[1]) - 1])).toBe("0");
    }
    const second = found.find((h) => h.operation === "ProductSearchPage2" && h.label.includes("keyset"));
    expect(second?.statement.sql).toMatch(/"sku" > \$\d+/);
  });
});
