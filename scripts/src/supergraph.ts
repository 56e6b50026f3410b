import { startGateway, type RunningGateway } from "@o2o/gateway";
import { configFromEnv, type GatewayConfig } from "@o2o/gateway/config";
import type { Bucket } from "@o2o/gateway/throttle";
import type { SandboxOptions } from "@o2o/gateway/sandbox";
import { createLogisticsSubgraph } from "@o2o/logistics";
import { createMembersSubgraph } from "@o2o/members";
import { createPaymentsSubgraph } from "@o2o/payments";
import { createProductsSubgraph } from "@o2o/products";
import {
  cacheFromEnv,
  DEFAULT_PORTS,
  databaseTargetFromEnv,
  eventBusFromEnv,
  lifecycle,
  Peers,
  type DatabaseTarget,
  type Cache,
  type EventBus,
  type RunningSubgraph,
  type SubgraphLifecycle,
  type SubgraphName,
  type Wiring,
} from "@o2o/runtime";
import { createStoresSubgraph } from "@o2o/stores";

/** Every subgraph's factory, by name: the composition root of the all-in-one process. */
export const SUBGRAPH_FACTORIES: Record<SubgraphName, (target: DatabaseTarget, wiring: Wiring) => SubgraphLifecycle> = {
  products: (target, wiring) => lifecycle(createProductsSubgraph(target, wiring.cache)),
  stores: (target, wiring) => lifecycle(createStoresSubgraph(target, wiring)),
  members: (target, wiring) => lifecycle(createMembersSubgraph(target, wiring)),
  payments: (target, wiring) => lifecycle(createPaymentsSubgraph(target, wiring)),
  logistics: (target, wiring) => lifecycle(createLogisticsSubgraph(target, wiring)),
};

export interface SupergraphOptions {
  /** One database for all subgraphs (tests); default: DATABASE_URL or the shared embedded PGlite. */
  target?: DatabaseTarget;
  /** "default": 4000–4005 (npm start); "any": free ports (tests). */
  ports?: "default" | "any";
  seed?: boolean;
  sandbox?: SandboxOptions;
  progress?: (step: string) => (done?: string) => void;
  /** The event bus (default: Redis Streams when REDIS_URL is set, else in-process); tests give each run its own stream. */
  bus?: EventBus;
  /** The cache gateway and stores share for API-key credentials (default: Redis at REDIS_URL, else one in-process map). */
  cache?: Cache;
  /** Query-cost buckets (default: Redis at REDIS_URL, else in memory). */
  bucket?: Bucket;
  /** Gateway settings over the environment's (tests: generous tiers for anonymous and member callers). */
  gateway?: Partial<GatewayConfig>;
}

export interface RunningSupergraph {
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  subgraphParts: Record<SubgraphName, SubgraphLifecycle>;
  wiring: Wiring;
  /** What the gateway was started with (tests start replicas with it). */
  gatewayConfig: GatewayConfig;
  stop(): Promise<void>;
}

const quiet = () => () => undefined;

export type SubgraphsOptions = Pick<SupergraphOptions, "target" | "ports" | "seed" | "progress" | "bus" | "cache">;

export interface RunningSubgraphs {
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  subgraphParts: Record<SubgraphName, SubgraphLifecycle>;
  wiring: Wiring;
  stop(): Promise<void>;
}

/**
 * Runs the five subgraphs in this process, each on its own HTTP port (no gateway: the benchmark puts its
 * gateways in front of them as separate processes). Migrates and (optionally) seeds first.
 */
export async function startSubgraphs(options: SubgraphsOptions = {}): Promise<RunningSubgraphs> {
  const progress = options.progress ?? quiet;
  const names = Object.keys(SUBGRAPH_FACTORIES) as SubgraphName[];
  const parts = {} as Record<SubgraphName, SubgraphLifecycle>;
  const wiring: Wiring = { bus: options.bus ?? eventBusFromEnv(), peers: new Peers(), cache: options.cache ?? cacheFromEnv() };
  for (const name of names) {
    const target = options.target ?? (await databaseTargetFromEnv(name));
    parts[name] = SUBGRAPH_FACTORIES[name](target, wiring);
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
  const running = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await parts[name].start(portFor(options, name))] as const))) as Record<
    SubgraphName,
    RunningSubgraph
  >;
  // Siblings call each other where they actually listen (free ports in tests).
  for (const name of names) wiring.peers.register(name, running[name].url);
  doneStarting(names.map((n) => `${n} ${new URL(running[n].url).port}`).join(", "));
  return {
    subgraphs: running,
    subgraphParts: parts,
    wiring,
    stop: async () => {
      await Promise.all(names.map((n) => running[n].stop()));
      await Promise.all(names.map((n) => parts[n].close()));
      await wiring.bus.close();
      await wiring.cache.close();
    },
  };
}

const portFor = (options: Pick<SupergraphOptions, "ports">, name: SubgraphName | "gateway") => (options.ports === "default" ? DEFAULT_PORTS[name] : 0);

/**
 * Runs the five subgraphs and the gateway in this process, each on its own HTTP port, the gateway
 * calling them over HTTP exactly as in production. Migrates and (optionally) seeds first.
 */
export async function startSupergraph(options: SupergraphOptions = {}): Promise<RunningSupergraph> {
  const progress = options.progress ?? quiet;
  const { subgraphs: running, subgraphParts: parts, wiring, stop: stopSubgraphs } = await startSubgraphs(options);
  const names = Object.keys(running) as SubgraphName[];
  const doneGateway = progress("starting gateway");
  // Ports and URLs are this process's own; limits and introspection still follow the environment.
  const config = { ...configFromEnv(), ...options.gateway, port: portFor(options, "gateway") };
  for (const name of names) config.subgraphUrls[name] = running[name].url;
  const gateway = await startGateway(config, { sandbox: options.sandbox, cache: wiring.cache, bucket: options.bucket });
  doneGateway();
  return {
    gatewayUrl: gateway.url,
    gateway,
    subgraphs: running,
    subgraphParts: parts,
    wiring,
    gatewayConfig: config,
    stop: async () => {
      await gateway.stop();
      await stopSubgraphs();
    },
  };
}
