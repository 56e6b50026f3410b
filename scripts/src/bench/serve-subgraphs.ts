import { eventBusFromEnv, logger, RedisBus } from "@o2o/runtime";
import { createTestDatabase } from "@o2o/runtime/testing";
import { startSubgraphs } from "../supergraph.ts";
import { insertBenchData } from "./bench-data.ts";

/**
 * Child process of `npm run bench`: the five subgraphs on their default ports (4001–4005, the routing URLs of the
 * checked-in supergraph) on PostgreSQL + Redis. Default: a throwaway database (dropped on SIGTERM), migrated,
 * demo-seeded, plus the bench data. BENCH_DATABASE_URL (--scale): that database as it is, migrated only.
 * Prints `BENCH-READY` when it answers.
 */
logger.level = process.env.LOG_LEVEL ?? "warn";
const scaleUrl = process.env.BENCH_DATABASE_URL;
const db = scaleUrl ? { target: { kind: "postgres" as const, url: scaleUrl }, drop: async () => undefined } : await createTestDatabase();
// The bench gives this run its own event stream (O2O_EVENT_STREAM), dropped at the end.
const bus = eventBusFromEnv();
const subgraphs = await startSubgraphs({ target: db.target, ports: "default", seed: !scaleUrl, bus });
if (!scaleUrl) await insertBenchData(db.target);
console.log(`BENCH-READY ${JSON.stringify({ database: db.target.kind === "postgres" ? new URL(db.target.url).pathname.slice(1) : "pglite" })}`);

const stop = async () => {
  if (bus instanceof RedisBus && process.env.O2O_EVENT_STREAM?.startsWith("o2o:bench:")) await bus.dropStream();
  await subgraphs.stop();
  await db.drop();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
