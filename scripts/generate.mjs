// Runs at `npm install` (root postinstall) and `npm run generate`: for each subgraph, the Prisma
// client (Rust-free `prisma-client` generator) and the GraphQL resolver types (graphql-codegen).
// Plain .mjs because it runs before anything else is built.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);
if (!existsSync(bin("prisma"))) {
  console.log("generate: dependencies not installed yet, skipping");
  process.exit(0);
}
// `prisma generate` only checks that a schema-engine file exists; the Rust-free client never runs it,
// and the native engine cannot be downloaded here. Any existing file satisfies the check.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const subgraphs = readdirSync(join(root, "subgraphs")).filter((name) => existsSync(join(root, "subgraphs", name, "prisma", "schema.prisma")));
for (const name of subgraphs) {
  const cwd = join(root, "subgraphs", name);
  process.stdout.write(`generate: ${name} prisma client… `);
  execFileSync(bin("prisma"), ["generate"], { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
  process.stdout.write("resolver types… ");
  execFileSync(bin("graphql-codegen"), ["--config", "codegen.ts", "--silent"], { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
  console.log("done");
}

// The embedded database's starting point (subgraphs/runtime/src/pglite-template.ts): initdb once now, so neither
// `npm start` nor a test pays for it (time and a second WASM instance's memory). Made on first use if this fails.
try {
  execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", "await (await import('./src/pglite-template.ts')).ensurePgliteTemplate()"], { cwd: join(root, "subgraphs", "runtime"), stdio: ["ignore", "ignore", "inherit"] });
  console.log("generate: embedded database template… done");
} catch {
  console.log("generate: embedded database template skipped (made on first use)");
}
