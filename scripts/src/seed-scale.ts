/**
 * `npm run seed-scale [-- --reset]`: the scale data set (1 M products, 10 k stores, 10 M stock rows) in its own
 * PostgreSQL database (SCALE_DATABASE_URL). Creates the database when missing (--reset: drops it first), applies
 * the five subgraphs' migrations, bulk-loads the generated rows with COPY, seeds the normal demo data on top (demo
 * members, retailers and keys work as usual) and ANALYZEs. Progress on stderr.
 * `--explain`: no seeding; EXPLAIN ANALYZE of the hot queries against the seeded database (seed-scale/explain.ts).
 */
import { localWiring, type SubgraphName } from "@o2o/runtime";
import pg from "pg";
import { stepPrinter } from "./progress.ts";
import { bulkLoad } from "./seed-scale/bulk.ts";
import { ensureDatabase } from "./seed-scale/database.ts";
import { scaleId } from "./seed-scale/ids.ts";
import { explainAtScale } from "./seed-scale/explain.ts";
import { brands, categories, openingHours, products, retailers, slotPlans, stock, stores } from "./seed-scale/rows.ts";
import { PRODUCTS, SCALE_DATABASE_URL, SCALE_NEAR, STOCK_ROWS, STORES } from "./seed-scale/shape.ts";
import { SUBGRAPH_FACTORIES } from "./supergraph.ts";

if (process.argv.includes("--explain")) await explainAtScale();
else await seedScale();

async function seedScale(): Promise<void> {
  const reset = process.argv.includes("--reset");
  const step = stepPrinter();
  const started = performance.now();
  const shown = new URL(SCALE_DATABASE_URL);
  shown.password = shown.password ? "***" : "";
  process.stderr.write(`Scale data set → ${shown}\n`);

  let done = step(reset ? "recreating the database" : "checking the database");
  done(await ensureDatabase(SCALE_DATABASE_URL, reset));

  // The subgraphs' own migrations, exactly as `npm start` applies them.
  const target = { kind: "postgres", url: SCALE_DATABASE_URL } as const;
  const wiring = localWiring();
  const names = Object.keys(SUBGRAPH_FACTORIES) as SubgraphName[];
  const parts = names.map((name) => SUBGRAPH_FACTORIES[name](target, wiring));
  for (const part of parts) {
    done = step(`migrating ${part.name}`);
    const result = await part.migrate();
    done(result.applied.length ? `${result.applied.length} applied` : "up to date");
  }

  const client = new pg.Client({ connectionString: SCALE_DATABASE_URL });
  await client.connect();
  try {
    // Bulk-load settings for this session only: no fsync wait per commit, room to sort index builds in memory.
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '512MB'");
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
    const present = await count(`SELECT count(*) AS n FROM "products"."product" WHERE "sku" LIKE 'SCALE-%'`);
    // Stock loads last, in one transaction: rows of a scale store mean an earlier run got to the end.
    const stocked = await count(`SELECT count(*) AS n FROM (SELECT 1 FROM "stores"."stock" WHERE "store_id" = '${scaleId("store", 0)}' LIMIT 1) x`);
    if (present === PRODUCTS && stocked > 0) {
      process.stderr.write(`  · the scale rows are already there (${PRODUCTS} products); --reset regenerates them\n`);
    } else if (present > 0 || (await count(`SELECT count(*) AS n FROM "stores"."store"`)) > 0) {
      throw new Error(`${shown} holds other or partial data (${present} scale products): run with --reset`);
    } else {
      // Stores before stock (its foreign key); products first, the biggest table after stock.
      await bulkLoad(client, "brands", brands);
      await bulkLoad(client, "categories", categories);
      await bulkLoad(client, "products", products, { rebuild: true });
      await bulkLoad(client, "retailers", retailers);
      await bulkLoad(client, "stores", stores());
      await bulkLoad(client, "opening hours", openingHours);
      await bulkLoad(client, "pickup slot plans", slotPlans());
      await bulkLoad(client, "stock", stock, { rebuild: true });
    }

    // The demo data on top (idempotent): demo members, retailers, stores and orders keep working against this database.
    for (const part of parts) {
      done = step(`seeding demo ${part.name}`);
      await part.seed();
      done();
    }

    done = step("ANALYZE");
    await client.query("ANALYZE");
    done();

    const nearby = await count(`SELECT count(*) AS n FROM "stores"."store"
      WHERE "lat" BETWEEN ${SCALE_NEAR.lat - 0.225} AND ${SCALE_NEAR.lat + 0.225} AND "lng" BETWEEN ${SCALE_NEAR.lng - 0.277} AND ${SCALE_NEAR.lng + 0.277}`);
    const stockRows = await count(`SELECT count(*) AS n FROM "stores"."stock"`);
    process.stderr.write(
      `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${PRODUCTS} scale products, ${STORES} scale stores ` +
        `(${nearby} in the 25 km box around SCALE_NEAR), ${stockRows} stock rows (${STOCK_ROWS} scale).\n`,
    );
  } finally {
    await client.end();
    await Promise.all(parts.map((part) => part.close()));
    await wiring.bus.close();
    await wiring.cache.close();
  }
}
