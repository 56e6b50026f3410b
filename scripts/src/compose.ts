import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { composeServices } from "@apollo/composition";
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from "@o2o/runtime";
import { printSchema } from "@apollo/federation-internals";
import { parse } from "graphql";

const root = new URL("../../", import.meta.url);
export const SUPERGRAPH_PATH = fileURLToPath(new URL("schema/supergraph.graphql", root));
export const API_SCHEMA_PATH = fileURLToPath(new URL("schema/api.graphql", root));

/**
 * Composition hints we accept, by code. Anything else is a finding to fix in a subgraph's SDL
 * (the composition test fails on it).
 */
export const ACCEPTED_HINTS = new Set<string>([]);

export interface Composed {
  supergraphSdl: string;
  apiSdl: string;
  hints: { code: string; message: string }[];
}

/** Composes the five subgraph SDLs with @apollo/composition; throws with every error on failure. */
export function compose(): Composed {
  const services = SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    typeDefs: parse(readFileSync(new URL(`subgraphs/${name}/schema.graphql`, root), "utf8")),
  }));
  const result = composeServices(services);
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  return {
    supergraphSdl: result.supergraphSdl,
    apiSdl: printSchema(result.schema.toAPISchema()) + "\n",
    hints: result.hints.map((h) => ({ code: h.definition.code, message: h.message })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const composed = compose();
  writeFileSync(SUPERGRAPH_PATH, composed.supergraphSdl);
  writeFileSync(API_SCHEMA_PATH, composed.apiSdl);
  for (const hint of composed.hints) console.warn(`hint ${hint.code}: ${hint.message}`);
  console.log(`composed ${SUBGRAPH_NAMES.length} subgraphs → schema/supergraph.graphql, schema/api.graphql`);
}
