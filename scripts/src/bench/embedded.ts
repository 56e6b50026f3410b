import type { EmbeddedBudget } from "./report.ts";
import { spawnNode } from "./processes.ts";

/**
 * The embedded mode's budget: `npm start` with no DATABASE_URL/REDIS_URL (PGlite, in-memory everything) from a cold
 * process to its first answered product-page query ("Ready in …"), and its peak RSS then. It takes ports 4000–4005,
 * so it runs before the bench's own processes start.
 */
export async function measureEmbeddedStart(): Promise<EmbeddedBudget> {
  const env = { ...process.env };
  for (const name of ["DATABASE_URL", "REDIS_URL", "PGLITE_DATA_DIR", "O2O_CALLER_SECRET", "O2O_MEMBER_TOKEN_SECRET", "LOG_LEVEL"]) delete env[name];
  const started = performance.now();
  const child = spawnNode("npm start", "scripts/src/start.ts", env);
  try {
    const line = await child.waitForLine(/Ready in [\d.]+ s/, 120_000);
    const wallSeconds = (performance.now() - started) / 1000;
    const reported = /Ready in ([\d.]+) s/.exec(line);
    return { wallSeconds, reportedSeconds: reported ? Number(reported[1]) : null, peakRssMb: child.peakRssMb() };
  } finally {
    await child.stop();
  }
}
