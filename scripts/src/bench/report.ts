import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { LoadResult } from "./load.ts";
import type { OverheadResult } from "./overhead.ts";
import { ROOT } from "./processes.ts";

/** The gateways the bench compares, in table order. */
export const VARIANTS = ["ours (cached)", "ours (no cache)", "hive"] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Row {
  operation: string;
  variant: Variant;
  /** One per round (rounds alternate the gateways' order); the table shows their mean. */
  rounds: LoadResult[];
  overhead: OverheadResult | null;
}

export interface EmbeddedBudget {
  /** Spawn to the "Ready in" line (node + tsx load included). */
  wallSeconds: number;
  /** What start.ts itself prints: its own start to the first answered product-page query. */
  reportedSeconds: number | null;
  peakRssMb: number | null;
}

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; commit: string; dirty: boolean; loadAverageAtStart: number[] };
  settings: Record<string, unknown>;
  dataset: string;
  rows: Row[];
  peakRssMb: Record<string, number | null>;
  embedded: EmbeddedBudget | null;
  notes: string[];
}

export function machineInfo(): BenchReport["machine"] {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit: git("rev-parse", "HEAD") || "unknown",
    dirty: git("status", "--porcelain").length > 0,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const meanOf = (values: (number | null)[]) => (values.every((v) => v !== null) && values.length ? mean(values as number[]) : null);

export function summary(row: Row) {
  const rs = row.rounds;
  return {
    requestsPerSecond: mean(rs.map((r) => r.requestsPerSecond)),
    p50: mean(rs.map((r) => r.p50)),
    p95: mean(rs.map((r) => r.p95)),
    p99: mean(rs.map((r) => r.p99)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    gatewayCpuMsPerRequest: meanOf(rs.map((r) => r.cpuMsPerRequest.gateway ?? null)),
    subgraphsCpuMsPerRequest: meanOf(rs.map((r) => r.cpuMsPerRequest.subgraphs ?? null)),
  };
}

/** ours/Hive throughput for a row of ours; null for Hive's own row. */
export function ratioToHive(rows: readonly Row[], row: Row): number | null {
  if (row.variant === "hive") return null;
  const hive = rows.find((r) => r.operation === row.operation && r.variant === "hive");
  return hive ? summary(row).requestsPerSecond / summary(hive).requestsPerSecond : null;
}

const fixed = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

export function renderTable(report: BenchReport): string {
  const header = ["operation", "gateway", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "ours/Hive", "overhead p50 ms", "peak RSS MB", "CPU ms/req gw", "subgraphs"];
  const lines = report.rows.map((row) => {
    const s = summary(row);
    return [
      row.operation,
      row.variant,
      fixed(s.requestsPerSecond, 0),
      fixed(s.p50),
      fixed(s.p95),
      fixed(s.p99),
      s.errors ? `${s.errors} ⚠` : "0",
      fixed(ratioToHive(report.rows, row), 2),
      row.overhead ? fixed(row.overhead.overheadP50, 2) : "–",
      fixed(report.peakRssMb[row.variant], 0),
      fixed(s.gatewayCpuMsPerRequest, 2),
      fixed(s.subgraphsCpuMsPerRequest, 2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [format(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(format)];

  const cached = report.rows.filter((r) => r.variant === "ours (cached)");
  for (const row of cached) {
    const uncached = report.rows.find((r) => r.operation === row.operation && r.variant === "ours (no cache)");
    if (uncached) out.push(`cached/uncached throughput, ${row.operation}: ${fixed(summary(row).requestsPerSecond / summary(uncached).requestsPerSecond, 2)}×`);
  }
  out.push("", "overhead = gateway p50 at 1 connection − p50 of its recorded subgraph fetches replayed stage by stage:");
  for (const row of report.rows) {
    if (row.overhead) out.push(`  ${row.operation} / ${row.variant}: ${fixed(row.overhead.gatewayP50, 2)} − ${fixed(row.overhead.criticalPathP50, 2)} ms; ${row.overhead.fetches} fetches in ${row.overhead.stages} stages: ${row.overhead.shape}`);
  }
  out.push("CPU ms/req: CPU time (user + system) of the gateway process, and of the subgraphs process, per answered request.");
  const [load1] = report.machine.loadAverageAtStart;
  if (load1 !== undefined && load1 > report.machine.cpus / 2) {
    out.push(`⚠ load average ${load1} on ${report.machine.cpus} CPUs when the bench started: other work shares the machine; req/s and latencies are noisy, CPU ms/req less so.`);
  }
  if (report.peakRssMb.subgraphs !== undefined) out.push(`subgraphs process peak RSS: ${fixed(report.peakRssMb.subgraphs, 0)} MB`);
  if (report.embedded) {
    const e = report.embedded;
    out.push(`embedded npm start (PGlite, no env): first answer after ${fixed(e.wallSeconds)} s from spawn (start.ts reports ${fixed(e.reportedSeconds)} s), peak RSS ${fixed(e.peakRssMb, 0)} MB`);
  }
  const failing = report.rows.filter((r) => summary(r).errors > 0);
  if (failing.length) out.push("", "⚠ runs with errors (numbers of those rows are not comparable):");
  for (const row of failing) out.push(`  ${row.operation} / ${row.variant}: ${row.rounds.flatMap((r) => r.errorSamples).slice(0, 2).join(" | ")}`);
  return out.join("\n");
}

/** bench-results/<iso date>.json (git-ignored), so runs can be compared. */
export function writeReport(report: BenchReport): string {
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, "-")}.json`);
  const rows = report.rows.map((row) => ({ ...row, summary: summary(row), oursOverHive: ratioToHive(report.rows, row) }));
  writeFileSync(file, `${JSON.stringify({ ...report, rows }, null, 2)}\n`);
  return file;
}
