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
