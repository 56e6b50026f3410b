import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../bench/processes.ts";
import type { SoakReport } from "./run.ts";

const fixed = (n: number) => (Number.isNaN(n) ? "–" : n.toFixed(1));

/** The figures as text: requests and outcomes per operation, latency percentiles, RSS readings, the checks. */
export function renderSoak(report: SoakReport): string {
  const { mix } = report;
  const total = Object.values(mix.operations).reduce((n, o) => n + o.requests, 0);
  const out = [
    `soak: ${report.settings.connections} connections, ${report.settings.durationSeconds} s (${mix.seconds.toFixed(0)} s measured), deployed shape as processes started in ${report.startSeconds.toFixed(1)} s`,
    `requests: ${total} (${(total / mix.seconds).toFixed(1)} req/s), transport errors: ${mix.transportErrors}`,
    "",
    `${"operation".padEnd(18)}${"requests".padStart(9)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}  outcomes`,
  ];
  for (const [name, o] of Object.entries(mix.operations)) {
    const outcomes = Object.entries(o.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ");
    out.push(`${name.padEnd(18)}${String(o.requests).padStart(9)}${fixed(o.p50).padStart(9)}${fixed(o.p95).padStart(9)}${fixed(o.p99).padStart(9)}  ${outcomes}`);
  }
  const byCode: Record<string, number> = {};
  for (const o of Object.values(mix.operations)) for (const [k, n] of Object.entries(o.outcomes)) if (k !== "ok") byCode[k] = (byCode[k] ?? 0) + n;
  out.push(`not ok, by code: ${Object.keys(byCode).length ? Object.entries(byCode).map(([k, n]) => `${k} ${n}`).join(", ") : "none"}`);
  out.push("", "RSS (VmRSS, MB):");
  const names = Object.keys(report.rss[0]?.mb ?? {});
  out.push(`${"".padEnd(22)}${names.map((n) => n.padStart(13)).join("")}`);
  for (const r of report.rss) out.push(`${`${r.label} (${r.at} s)`.padEnd(22)}${names.map((n) => String(r.mb[n] ?? "–").padStart(13)).join("")}`);
  out.push("", "checks:");
  for (const c of report.checks) out.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  return out.join("\n");
}

/** bench-results/soak-<iso date>.json (git-ignored, beside the benchmark's). */
export function writeSoakReport(report: SoakReport): string {
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `soak-${report.startedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
