/**
 * The one place that names the services of the supergraph and their default ports.
 * docker-compose.yml, the gateway's config and the all-in-one start are checked against it.
 */
export const SUBGRAPH_NAMES = ["products", "stores", "members", "payments", "logistics"] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const DEFAULT_PORTS: Record<SubgraphName | "gateway", number> = {
  gateway: 4000,
  products: 4001,
  stores: 4002,
  members: 4003,
  payments: 4004,
  logistics: 4005,
};

/** Env var holding a subgraph's URL for the gateway, e.g. PRODUCTS_URL. */
export function subgraphUrlEnv(name: SubgraphName): string {
  return `${name.toUpperCase()}_URL`;
}

/** Env var holding a subgraph's port, e.g. PRODUCTS_PORT. */
export function portEnv(name: SubgraphName | "gateway"): string {
  return `${name.toUpperCase()}_PORT`;
}

export function portOf(name: SubgraphName | "gateway", env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[portEnv(name)] ?? env.PORT;
  return raw === undefined ? DEFAULT_PORTS[name] : Number(raw);
}

export function subgraphUrl(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): string {
  return env[subgraphUrlEnv(name)] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}
