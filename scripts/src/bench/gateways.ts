import { SUBGRAPH_NAMES, subgraphUrlEnv, type SubgraphName } from "@o2o/runtime";
import type { GatewayKind } from "./operations.ts";
import { freePort, spawnNode, waitForGraphQL, type Child } from "./processes.ts";
import type { Variant } from "./report.ts";

export interface RunningGatewayProcess {
  variant: Variant;
  kind: GatewayKind;
  url: string;
  child: Child;
}

/**
 * One gateway process of the comparison. Ours is the real entry (gateway/src/index.ts) with INTERNAL tiers (metered,
 * never refused: the bench measures the gateway, not its throttle) and GATEWAY_CACHE=off for the uncached variant.
 * Hive is serve-hive.ts. `subgraphUrls` (the overhead phase's recording proxy) replace the default routing URLs.
 */
export async function startGatewayProcess(variant: Variant, env: NodeJS.ProcessEnv, subgraphUrls?: Record<SubgraphName, string>): Promise<RunningGatewayProcess> {
  const port = await freePort();
  const urls = subgraphUrls ? Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlEnv(name), subgraphUrls[name]])) : {};
  const kind: GatewayKind = variant === "hive" ? "hive" : "ours";
  const child =
    kind === "ours"
      ? spawnNode(variant, "gateway/src/index.ts", {
          ...env,
          ...urls,
          GATEWAY_PORT: String(port),
          GATEWAY_ANONYMOUS_TIER: "INTERNAL",
          GATEWAY_MEMBER_TIER: "INTERNAL",
          GATEWAY_CACHE: variant === "ours (cached)" ? "on" : "off",
        })
      : spawnNode(variant, "scripts/src/bench/serve-hive.ts", { ...env, ...urls, HIVE_PORT: String(port) });
  const url = `http://127.0.0.1:${port}/graphql`; // both serve GraphQL at /graphql
  await waitForGraphQL(url, 60_000, child);
  return { variant, kind, url, child };
}
