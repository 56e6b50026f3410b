import { defineConfig } from "vitest/config";

// End-to-end tests start the whole supergraph per file; they get generous hook timeouts.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
