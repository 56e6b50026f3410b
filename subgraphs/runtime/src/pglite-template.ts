import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

/**
 * A new PGlite starts from a freshly initialised data directory kept as a tarball, instead of running initdb: initdb
 * runs in a second WASM instance, so skipping it halves the peak memory of a start (782 → 465 MB for a bare instance
 * here) and saves about 2 s (3.1 → 1.0 s). The tarball is made once per installation (`npm install` runs
 * scripts/generate.mjs, which calls `ensurePgliteTemplate`), else on first use; its name holds PGlite's version, so an
 * upgrade makes a new one. A data directory that already holds a database (PGLITE_DATA_DIR) is opened as it is.
 */
const version = pgliteVersion();
export const PGLITE_TEMPLATE = fileURLToPath(new URL(`../../../node_modules/.cache/o2o/pglite-${version}-template.tar.gz`, import.meta.url));

/**
 * 16 MB of shared buffers instead of PostgreSQL's 128 MB: the embedded databases hold demo and test data of a few MB,
 * and the buffers are WASM memory that is never given back (about 70 MB less resident per instance).
 */
const START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

export async function newPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir && existsSync(join(dataDir, "PG_VERSION"))) return PGlite.create({ dataDir, startParams: START_PARAMS });
  await ensurePgliteTemplate();
  return PGlite.create({ dataDir, startParams: START_PARAMS, loadDataDir: new Blob([readFileSync(PGLITE_TEMPLATE)]) });
}

/** The installed PGlite's version (its package.json is not exported: found above its resolved entry). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const root = entry.slice(0, entry.lastIndexOf("@electric-sql/pglite") + "@electric-sql/pglite".length);
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}

/** Makes the template unless this installation has it already. */
export async function ensurePgliteTemplate(): Promise<void> {
  if (!existsSync(PGLITE_TEMPLATE)) await writePgliteTemplate();
}

/** Runs initdb once and keeps the result; written under a unique name and renamed, so concurrent makers never clash. */
export async function writePgliteTemplate(): Promise<void> {
  const pglite = await PGlite.create();
  const tarball = Buffer.from(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
  await pglite.close();
  mkdirSync(dirname(PGLITE_TEMPLATE), { recursive: true });
  const partial = `${PGLITE_TEMPLATE}.${process.pid}.${Date.now()}`;
  writeFileSync(partial, tarball);
  renameSync(partial, PGLITE_TEMPLATE);
}
