import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// End-to-end tests start the whole supergraph per file; they get generous hook timeouts.
// `graphql` resolves to its CommonJS build, as it does under Node (its package has no "exports"): Vite would
// pick the ESM build for our code while @apollo/gateway requires the CommonJS one, and graphql refuses to
// mix schema objects from two copies.
const graphql = createRequire(import.meta.url).resolve("graphql");
export default defineConfig({ resolve: { alias: [{ find: /^graphql$/, replacement: graphql }] }, test: { testTimeout: 60_000, hookTimeout: 120_000 } });
