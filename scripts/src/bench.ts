import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphUrl, type SubgraphName } from "@o2o/runtime";
import { BENCH_CATEGORY, BENCH_NEAR } from "./bench/bench-data.ts";
import { firstDifference, type Json } from "./bench/compare.ts";
import { measureEmbeddedStart } from "./bench/embedded.ts";
import { startGatewayProcess, type RunningGatewayProcess } from "./bench/gateways.ts";
import { runLoad } from "./bench/load.ts";
import { benchOperations, headersFor, requestBody, type BenchOperation } from "./bench/operations.ts";
import { measureOverhead, startRecordingProxy } from "./bench/overhead.ts";
import { portTaken, spawnNode, type Child } from "./bench/processes.ts";
import { machineInfo, renderTable, VARIANTS, writeReport, type BenchReport, type Row, type Variant } from "./bench/report.ts";
import { SCALE_DATABASE_URL, SCALE_LISTING_CATEGORY, SCALE_NEAR, SCALE_SAMPLE_SKU } from "./seed-scale/shape.ts";

/**
 * `npm run bench [-- --duration 10 --connections 16 --warmup 3 --rounds 2 --overhead-seconds 3 --scale --skip-embedded --hive-shared-caller]`
 * Side by side on this machine: our gateway (with and without its cache) and Hive Gateway, each its own process,
 * serving the checked-in supergraph in front of the same subgraph process (PostgreSQL + Redis), loaded by autocannon
 * with the same operations. Prints a table and writes bench-results/<date>.json. Asserts nothing.
 */
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    warmup: { type: "string", default: "3" },
    // Two rounds, the second in reverse gateway order, so neither gateway always runs first (or right after the other).
    rounds: { type: "string", default: "2" },
    "overhead-seconds": { type: "string", default: "3" },
    scale: { type: "boolean", default: false },
    "skip-embedded": { type: "boolean", default: false },
    // Hive gets one caller header per minute instead of one per request: its in-flight deduplication then shares
    // subgraph fetches between the identical concurrent requests (see headersFor in bench/operations.ts).
    "hive-shared-caller": { type: "boolean", default: false },
  },
});
const settings = {
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
  warmupSeconds: Number(values.warmup),
  rounds: Number(values.rounds),
  overheadSeconds: Number(values["overhead-seconds"]),
  scale: values.scale,
  hiveSharedCaller: values["hive-shared-caller"],
};
const log = (text: string) => process.stderr.write(`${text}\n`);
const startedAt = new Date().toISOString();
const machine = machineInfo(); // now: its load average is the one the bench starts under
const notes: string[] = [];

// Every port the bench's processes take by default must be free: 4000–4005 (npm start), 4001–4005 (subgraphs).
const taken = [];
for (const port of Object.values(DEFAULT_PORTS)) if (await portTaken(port)) taken.push(port);
if (taken.length) {
  log(`Ports ${taken.join(", ")} are in use (npm start or another bench running?); the bench needs 4000–4005.`);
  process.exit(1);
}

let embedded: BenchReport["embedded"] = null;
if (!values["skip-embedded"]) {
  log("embedded mode: npm start (PGlite, no env) from cold to its first answer …");
  embedded = await measureEmbeddedStart();
  log(`  ready after ${embedded.wallSeconds.toFixed(1)} s, peak RSS ${embedded.peakRssMb} MB`);
}

// One secret for all processes (subgraphs verify what gateways and this client sign); a fresh member-token secret.
process.env.O2O_CALLER_SECRET = randomBytes(32).toString("base64url");
process.env.O2O_MEMBER_TOKEN_SECRET = randomBytes(32).toString("base64url");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  O2O_EVENT_STREAM: `o2o:bench:${randomBytes(4).toString("hex")}`,
  // Its own cache namespace: no entry of a test run or an earlier bench (other data, same ids) answers this one.
  O2O_CACHE_PREFIX: `o2o:bench:${randomBytes(4).toString("hex")}:`,
  LOG_LEVEL: "warn",
  // As deployed (the Dockerfile sets it): graphql-js drops its development-only checks; the same for all three gateways.
  NODE_ENV: "production",
  ...(settings.scale ? { BENCH_DATABASE_URL: SCALE_DATABASE_URL } : {}),
};
const operations = benchOperations(
  settings.scale
    ? { sku: SCALE_SAMPLE_SKU, near: SCALE_NEAR, category: SCALE_LISTING_CATEGORY, member: "aiko", scale: true }
    : { sku: "HAN-001", near: BENCH_NEAR, category: BENCH_CATEGORY, member: "aiko", scale: false },
);
const dataset = settings.scale ? `scale database ${new URL(SCALE_DATABASE_URL).pathname.slice(1)}` : "throwaway PostgreSQL database: demo seed + 50-product bench category";

const children: Child[] = [];
const stopAll = () => Promise.all(children.splice(0).map((c) => c.stop()));
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

try {
  log(`subgraphs: ${dataset}, Redis ${env.REDIS_URL} …`);
  const subgraphs = spawnNode("subgraphs", "scripts/src/bench/serve-subgraphs.ts", env);
  children.push(subgraphs);
  await subgraphs.waitForLine(/^BENCH-READY/, 240_000);

  log("gateways: ours (cached), ours (no cache), Hive Gateway …");
  const gateways = await Promise.all(VARIANTS.map((variant) => startGatewayProcess(variant, env)));
  children.push(...gateways.map((g) => g.child));
  const byVariant = (v: Variant) => gateways.find((g) => g.variant === v)!;

  await checkSameAnswers(operations, gateways);

  const rows: Row[] = [];
  for (const operation of operations) {
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const gateway = byVariant(variant);
        log(`load: ${operation.name} → ${variant} (round ${round + 1}/${settings.rounds}, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s)`);
        const cpuOf = { gateway: gateway.child.pid, subgraphs: subgraphs.pid };
        const result = await runLoad({ url: gateway.url, body: requestBody(operation), headers: headersFor(operation, gateway.kind, settings.hiveSharedCaller), cpuOf, ...settings });
        log(`  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, gateway CPU ${result.cpuMsPerRequest.gateway?.toFixed(2)} ms/request${result.errors ? `, ${result.errors} ERRORS: ${result.errorSamples[0]}` : ""}`);
        let row = rows.find((r) => r.operation === operation.name && r.variant === variant);
        if (!row) rows.push((row = { operation: operation.name, variant, rounds: [], overhead: null }));
        row.rounds.push(result);
      }
    }
  }
  // Table order: operation, then ours (cached), ours (no cache), hive.
  rows.sort((a, b) => operations.findIndex((o) => o.name === a.operation) - operations.findIndex((o) => o.name === b.operation) || VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant));

  log("overhead: recording each gateway's subgraph fetches through a proxy, then 1 connection …");
  const targets = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name, {})])) as Record<SubgraphName, string>;
  const proxy = await startRecordingProxy(targets);
  const recorders = await Promise.all(VARIANTS.map((variant) => startGatewayProcess(variant, env, proxy.urls)));
  try {
    for (const operation of operations) {
      for (const variant of VARIANTS) {
        const recorder = recorders.find((g) => g.variant === variant)!;
        const send = () => post(recorder.url, operation, recorder);
        for (let i = 0; i < 3; i++) await send(); // plans and caches warm, as under load
        const fetches = await proxy.record(send);
        const gateway = byVariant(variant);
        const overhead = await measureOverhead({ url: gateway.url, body: requestBody(operation), headers: headersFor(operation, gateway.kind, settings.hiveSharedCaller) }, fetches, targets, settings.overheadSeconds);
        rows.find((r) => r.operation === operation.name && r.variant === variant)!.overhead = overhead;
        log(`  ${operation.name} / ${variant}: ${overhead.gatewayP50.toFixed(2)} − ${overhead.criticalPathP50.toFixed(2)} = ${overhead.overheadP50.toFixed(2)} ms (${overhead.shape})`);
      }
    }
  } finally {
    await Promise.all(recorders.map((r) => r.child.stop()));
    await proxy.close();
  }

  const peakRssMb: Record<string, number | null> = Object.fromEntries(gateways.map((g) => [g.variant, g.child.peakRssMb()]));
  peakRssMb.subgraphs = subgraphs.peakRssMb();
  notes.push(
    "All processes share this machine's CPUs with the load generator (autocannon runs in the bench process).",
    "Both gateways log at warn (our per-request info log off), Hive's landing page and GraphiQL off; every process runs with NODE_ENV=production, as the Dockerfile deploys them.",
    "Hive gets the signed x-o2o-caller header from the client and forwards it; ours authenticates a member token (order history) and signs it itself.",
    settings.hiveSharedCaller
      ? "--hive-shared-caller: Hive's clients reuse one signed caller header a minute, so its in-flight deduplication shares subgraph fetches between identical concurrent requests (ours never does)."
      : "Hive's caller header is signed per request (every request distinct, as from different shoppers), so its in-flight deduplication of identical subgraph requests does not apply; --hive-shared-caller shows it.",
    "Product page runs anonymously on both gateways: `me` answers null on both (members returns null for an anonymous caller; ours also drops `me.orders` in its authorization stage), with the same four subgraph fetches. Every operation's answers were compared equal (up to list order) before the load.",
    "Embedded budget: scripts/src/start.ts run as `node --import tsx` (what `npm start` runs, without npm's and the tsx CLI's own processes), so the RSS read is the server's own process.",
    "Overhead includes the one client-to-gateway HTTP hop the direct replay does not make.",
    "Overhead stages: fetches that overlapped in time count as parallel; a fetch that started before all of a stage ended joins it (this can only shorten the critical path, i.e. overstate overhead).",
  );
  const report: BenchReport = { startedAt, machine, settings, dataset, rows, peakRssMb, embedded, notes };
  await stopAll();
  console.log(`\nO2O Supergraph benchmark — ${report.machine.cpus}× ${report.machine.cpuModel}, Node ${report.machine.node}, ${report.machine.commit.slice(0, 10)}${report.machine.dirty ? " (dirty)" : ""}`);
  console.log(`${dataset}; ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per run, ${settings.rounds} round(s)\n`);
  console.log(renderTable(report));
  console.log(`\nwritten: ${writeReport(report)}`);
} catch (err) {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  await stopAll();
  process.exit(1);
}

async function post(url: string, operation: BenchOperation, gateway: Pick<RunningGatewayProcess, "kind">): Promise<{ status: number; body: { data?: Json; errors?: Json } }> {
  const response = await fetch(url, { method: "POST", headers: headersFor(operation, gateway.kind, settings.hiveSharedCaller)(), body: requestBody(operation) });
  return { status: response.status, body: (await response.json()) as { data?: Json; errors?: Json } };
}

/** Every gateway must answer every operation with the same data (up to list order) and no errors; else abort. */
async function checkSameAnswers(operations: BenchOperation[], gateways: RunningGatewayProcess[]): Promise<void> {
  const problems: string[] = [];
  for (const operation of operations) {
    const before = problems.length;
    const answers = await Promise.all(gateways.map(async (g) => ({ variant: g.variant, ...(await post(g.url, operation, g)) })));
    for (const a of answers) if (a.status !== 200 || a.body.errors) problems.push(`${operation.name} / ${a.variant}: HTTP ${a.status} ${JSON.stringify(a.body.errors ?? null).slice(0, 400)}`);
    const hive = answers.find((a) => a.variant === "hive")!;
    for (const a of answers.filter((x) => x !== hive)) {
      const difference = firstDifference(a.body.data ?? null, hive.body.data ?? null);
      if (difference) problems.push(`${operation.name}: ${a.variant} vs hive differ at ${difference}`);
    }
    const nulls = Object.entries((hive.body.data ?? {}) as Record<string, Json>).filter(([, v]) => v === null).map(([k]) => k);
    if (problems.length === before) log(`  same answer from all three: ${operation.name} (${JSON.stringify(hive.body.data).length} bytes of data${nulls.length ? `; null: ${nulls.join(", ")}` : ""})`);
  }
  if (problems.length) throw new Error(`The gateways do not answer the same:\n${problems.join("\n")}`);
}
