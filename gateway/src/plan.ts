import { readFileSync, unwatchFile, watchFile } from "node:fs";
import { ApolloGateway, type SupergraphSdlHook } from "@apollo/gateway";
import { logger, type Cache, type SubgraphName } from "@o2o/runtime";
import { enforcedHere } from "./authorize-rules.ts";
import type { GatewayConfig } from "./config.ts";
import { SubgraphDataSource } from "./execute.ts";
import { FetchCache } from "./fetch-cache.ts";

/**
 * Stage 3: planning. The gateway serves the checked-in, composed supergraph (never composes at
 * run time) and plans each operation once: @apollo/gateway caches query plans by operation.
 * The file is watched, so a re-composed supergraph is served without a restart. The gateway gets it
 * through `enforcedHere`: it refuses supergraphs whose @authenticated/@requiresScopes links are marked
 * `for: SECURITY` (it does not enforce them); authorize.ts does, so the marks are dropped. With a cache, subgraph
 * fetches of query operations go through the entity cache (fetch-cache.ts).
 */
export function createPlanner(config: GatewayConfig, cache: Cache | null): { planner: ApolloGateway; closeConnections(): Promise<void> } {
  const sources: SubgraphDataSource[] = [];
  const planner = new ApolloGateway({
    supergraphSdl: watchedSupergraph(config.supergraphPath),
    buildService: ({ name, url }) => {
      const source = new SubgraphDataSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, cache && new FetchCache(cache, name), config.subgraphLimits[name as SubgraphName]);
      sources.push(source);
      return source;
    },
    logger: { debug: () => undefined, info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  return { planner, closeConnections: async () => void (await Promise.all(sources.map((s) => s.close()))) };
}

function watchedSupergraph(path: string): SupergraphSdlHook {
  return async ({ update }) => {
    let current = enforcedHere(readFileSync(path, "utf8"));
    const onChange = () => {
      const next = enforcedHere(readFileSync(path, "utf8"));
      if (next === current || next.trim() === "") return;
      try {
        update(next);
        current = next;
        logger.info({ path }, "supergraph reloaded");
      } catch (err) {
        logger.error({ err, path }, "supergraph change refused; still serving the previous one");
      }
    };
    // Polling survives editors and scripts that replace the file by rename, which fs.watch misses.
    watchFile(path, { interval: 1000 }, onChange);
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path, onChange) };
  };
}
