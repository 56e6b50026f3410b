import { fileURLToPath } from "node:url";
import { portOf, SUBGRAPH_NAMES, subgraphUrl, type SubgraphName } from "@o2o/runtime";

export interface GatewayConfig {
  port: number;
  /** The composed supergraph the gateway serves (watched: edits are picked up without a restart). */
  supergraphPath: string;
  /** Where each subgraph is reached; overrides the routing URLs written into the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Deepest selection nesting accepted (introspection fields not counted). */
  maxDepth: number;
  /** Most aliased fields accepted in one operation. */
  maxAliases: number;
}

export const DEFAULT_SUPERGRAPH = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));

/** Env: GATEWAY_PORT, SUPERGRAPH_PATH, <NAME>_URL per subgraph, GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: portOf("gateway", env),
    supergraphPath: env.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name, env)])) as Record<SubgraphName, string>,
    maxDepth: Number(env.GATEWAY_MAX_DEPTH ?? 15),
    maxAliases: Number(env.GATEWAY_MAX_ALIASES ?? 50),
  };
}
