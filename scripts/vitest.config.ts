import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// End-to-end tests start the whole supergraph per file; they get generous hook timeouts. Two files at a time even on a
// 2-core machine (vitest's default there is one): much of a file's time is waiting on HTTP and the database, and
// `npx vitest run` here took 207 s → 138 s (PostgreSQL + Redis) and 276 s → 221 s (embedded) for this package.
// `graphql` resolves to its CommonJS build, as it does under Node (its package has no "exports"): Vite would
// pick the ESM build for our code while @apollo/gateway requires the CommonJS one, and graphql refuses to
// mix schema objects from two copies.
const graphql = createRequire(import.meta.url).resolve("graphql");
export default defineConfig({ resolve: { alias: [{ find: /^graphql$/, replacement: graphql }] }, test: { testTimeout: 60_000, hookTimeout: 120_000, maxWorkers: 2 } });
