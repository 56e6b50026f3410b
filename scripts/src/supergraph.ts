import { startGateway, type RunningGateway } from "@o2o/gateway";
import { configFromEnv } from "@o2o/gateway/config";
import type { SandboxOptions } from "@o2o/gateway/sandbox";
import { createLogisticsSubgraph } from "@o2o/logistics";
import { createMembersSubgraph } from "@o2o/members";
import { createPaymentsSubgraph } from "@o2o/payments";
import { createProductsSubgraph } from "@o2o/products";
import { DEFAULT_PORTS, databaseTargetFromEnv, lifecycle, type DatabaseTarget, type RunningSubgraph, type SubgraphLifecycle, type SubgraphName } from "@o2o/runtime";
import { createStoresSubgraph } from "@o2o/stores";

/** Every subgraph's factory, by name: the composition root of the all-in-one process. */
export const SUBGRAPH_FACTORIES: Record<SubgraphName, (target: DatabaseTarget) => SubgraphLifecycle> = {
  products: (target) => lifecycle(createProductsSubgraph(target)),
  stores: (target) => lifecycle(createStoresSubgraph(target)),
  members: (target) => lifecycle(createMembersSubgraph(target)),
  payments: (target) => lifecycle(createPaymentsSubgraph(target)),
  logistics: (target) => lifecycle(createLogisticsSubgraph(target)),
};

export interface SupergraphOptions {
  /** One database for all subgraphs (tests); default: DATABASE_URL or the shared embedded PGlite. */
  target?: DatabaseTarget;
  /** "default": 4000–4005 (npm start); "any": free ports (tests). */
  ports?: "default" | "any";
  seed?: boolean;
  sandbox?: SandboxOptions;
  progress?: (step: string) => (done?: string) => void;
}

export interface RunningSupergraph {
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  subgraphParts: Record<SubgraphName, SubgraphLifecycle>;
  stop(): Promise<void>;
}

const quiet = () => () => undefined;

/**
 * Runs the five subgraphs and the gateway in this process, each on its own HTTP port, the gateway
 * calling them over HTTP exactly as in production. Migrates and (optionally) seeds first.
 */
export async function startSupergraph(options: SupergraphOptions = {}): Promise<RunningSupergraph> {
  const progress = options.progress ?? quiet;
  const names = Object.keys(SUBGRAPH_FACTORIES) as SubgraphName[];
  const parts = {} as Record<SubgraphName, SubgraphLifecycle>;
  for (const name of names) {
    const target = options.target ?? (await databaseTargetFromEnv(name));
    parts[name] = SUBGRAPH_FACTORIES[name](target);
  }
  for (const name of names) {
    const done = progress(`migrating ${name}`);
    const result = await parts[name].migrate();
    done(result.applied.length ? `${result.applied.length} applied` : "up to date");
  }
  if (options.seed) {
    for (const name of names) {
      const done = progress(`seeding ${name}`);
      await parts[name].seed();
      done();
    }
  }
  const doneStarting = progress("starting subgraphs");
  const port = (name: SubgraphName | "gateway") => (options.ports === "default" ? DEFAULT_PORTS[name] : 0);
  const running = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await parts[name].start(port(name))] as const))) as Record<
    SubgraphName,
    RunningSubgraph
  >;
  doneStarting(names.map((n) => `${n} ${new URL(running[n].url).port}`).join(", "));
  const doneGateway = progress("starting gateway");
  const config = { ...configFromEnv({}), port: port("gateway") };
  for (const name of names) config.subgraphUrls[name] = running[name].url;
  const gateway = await startGateway(config, { sandbox: options.sandbox });
  doneGateway();
  return {
    gatewayUrl: gateway.url,
    gateway,
    subgraphs: running,
    subgraphParts: parts,
    stop: async () => {
      await gateway.stop();
      await Promise.all(names.map((n) => running[n].stop()));
      await Promise.all(names.map((n) => parts[n].close()));
    },
  };
}
