import { fileURLToPath } from "node:url";
import { portOf, SUBGRAPH_NAMES, subgraphUrl, type SubgraphName } from "@o2o/runtime";
import type { IntrospectionMode } from "./limits.ts";
import { TIERS, type TierName } from "./throttle.ts";

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
  /** Highest calculated cost of one operation (also capped by the caller's bucket size). */
  maxCost: number;
  /** Rate-limit tiers of callers without a key, bucketed by client address or by member. */
  anonymousTier: TierName;
  memberTier: TierName;
  /** Load balancers / proxies in front of the gateway that append to X-Forwarded-For (anonymous buckets by client). */
  trustedProxyHops: number;
  introspection: IntrospectionMode;
  /** The frontend's persisted operations (Apollo's manifest format). */
  persistedOperationsPath: string;
  /** The shared read cache (entity + response layers); off only to measure without it (the benchmark). */
  cache: boolean;
  /** Per subgraph: how long a fetch may take and how many may wait at once (a slow subgraph must not pile requests up). */
  subgraphLimits: Record<SubgraphName, SubgraphLimits>;
}

export interface SubgraphLimits {
  /** How long one fetch may take, queueing for a connection included (ms); then its data is missing (TIMEOUT). */
  timeoutMs: number;
  /** Most fetches in flight or queued at once; more fail at once (OVERLOADED) instead of waiting. */
  maxPending: number;
}

export const DEFAULT_SUPERGRAPH = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));
export const DEFAULT_PERSISTED_OPERATIONS = fileURLToPath(new URL("../../schema/persisted-operations.json", import.meta.url));

/**
 * Env: GATEWAY_PORT, SUPERGRAPH_PATH, <NAME>_URL per subgraph, GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES,
 * GATEWAY_MAX_COST, GATEWAY_ANONYMOUS_TIER and GATEWAY_MEMBER_TIER (default STANDARD), GATEWAY_TRUSTED_PROXY_HOPS (0),
 * GATEWAY_INTROSPECTION (open|scoped; default open in the embedded mode, scoped with
 * DATABASE_URL), PERSISTED_OPERATIONS_PATH, GATEWAY_CACHE (on|off; default on), GATEWAY_SUBGRAPH_TIMEOUT_MS (10000)
 * and GATEWAY_SUBGRAPH_MAX_PENDING (512: a subgraph's 128 pooled connections plus a queue) for every subgraph, or
 * <NAME>_TIMEOUT_MS and <NAME>_MAX_PENDING for one (e.g. PAYMENTS_TIMEOUT_MS).
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: portOf("gateway", env),
    supergraphPath: env.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name, env)])) as Record<SubgraphName, string>,
    maxDepth: Number(env.GATEWAY_MAX_DEPTH ?? 15),
    maxAliases: Number(env.GATEWAY_MAX_ALIASES ?? 50),
    maxCost: Number(env.GATEWAY_MAX_COST ?? 1000),
    anonymousTier: tierOf(env.GATEWAY_ANONYMOUS_TIER),
    memberTier: tierOf(env.GATEWAY_MEMBER_TIER),
    trustedProxyHops: Number(env.GATEWAY_TRUSTED_PROXY_HOPS ?? 0),
    introspection: env.GATEWAY_INTROSPECTION === "scoped" || (env.GATEWAY_INTROSPECTION !== "open" && env.DATABASE_URL) ? "scoped" : "open",
    persistedOperationsPath: env.PERSISTED_OPERATIONS_PATH ?? DEFAULT_PERSISTED_OPERATIONS,
    cache: env.GATEWAY_CACHE !== "off",
    subgraphLimits: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphLimits(name, env)])) as Record<SubgraphName, SubgraphLimits>,
  };
}

function subgraphLimits(name: SubgraphName, env: NodeJS.ProcessEnv): SubgraphLimits {
  const own = (suffix: string) => `${name.toUpperCase()}_${suffix}`;
  return {
    timeoutMs: positive(own("TIMEOUT_MS"), env[own("TIMEOUT_MS")], positive("GATEWAY_SUBGRAPH_TIMEOUT_MS", env.GATEWAY_SUBGRAPH_TIMEOUT_MS, 10_000)),
    maxPending: positive(own("MAX_PENDING"), env[own("MAX_PENDING")], positive("GATEWAY_SUBGRAPH_MAX_PENDING", env.GATEWAY_SUBGRAPH_MAX_PENDING, 512)),
  };
}

/** A positive whole number from the environment: a typo must stop the start, not become a zero or NaN timeout. */
function positive(key: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${key} must be a positive whole number, not ${JSON.stringify(value)}.`);
  return n;
}

function tierOf(name: string | undefined): TierName {
  if (name === undefined) return "STANDARD";
  if (!(name in TIERS)) throw new Error(`Unknown rate-limit tier ${name}; one of ${Object.keys(TIERS).join(", ")}.`);
  return name as TierName;
}
