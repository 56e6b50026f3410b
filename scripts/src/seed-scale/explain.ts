/**
 * `npm run seed-scale -- --explain` (after seeding): EXPLAIN ANALYZE of the hot statements against the scale
 * database, as the subgraphs send them for the scale's sample product, listing category and point. Prints each
 * statement's execution time, the indexes its plan uses and any sequential scans.
 */
import { MemoryBus } from "@o2o/runtime";
import { startSupergraph } from "../supergraph.ts";
import { explain, indexesUsed, recordHotStatements, seqScans, tomorrowInTokyo } from "./hot-queries.ts";
import { SCALE_DATABASE_URL, SCALE_LISTING_CATEGORY, SCALE_NEAR, SCALE_SAMPLE_SKU } from "./shape.ts";

export async function explainAtScale(out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const target = { kind: "postgres", url: SCALE_DATABASE_URL } as const;
  const supergraph = await startSupergraph({ target, ports: "any", bus: new MemoryBus(), gateway: { anonymousTier: "ENTERPRISE", cache: false } });
  try {
    const inputs = { sku: SCALE_SAMPLE_SKU, near: SCALE_NEAR, categorySlug: SCALE_LISTING_CATEGORY, pickupDate: tomorrowInTokyo() };
    const { found, missing } = await recordHotStatements(supergraph.gatewayUrl, inputs);
    for (const hot of found) {
      // The fastest of four runs: the first warms the cache; the machine may be busy with other work meanwhile.
      const runs = [];
      for (let i = 0; i < 4; i++) runs.push(await explain(target, hot.statement, { analyze: true }));
      const { plan, executionMs, planningMs } = runs.reduce((best, run) => ((run.executionMs ?? Infinity) < (best.executionMs ?? Infinity) ? run : best));
      const seq = seqScans(plan);
      out.write(
        `${hot.label.padEnd(44)} ${String(executionMs?.toFixed(2)).padStart(8)} ms exec, ${String(planningMs?.toFixed(2)).padStart(6)} ms plan  ` +
          `indexes: ${indexesUsed(plan).join(", ") || "none"}${seq.length ? `  SEQ SCAN: ${seq.join(", ")}` : ""}\n`,
      );
    }
    for (const spec of missing) out.write(`${spec.label}: statement not seen (did the query change?)\n`);
  } finally {
    await supergraph.stop();
  }
}
