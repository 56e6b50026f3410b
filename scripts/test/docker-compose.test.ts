import { readFileSync } from "node:fs";
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphUrlEnv } from "@o2o/runtime";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// No Docker engine runs here, so the compose file is checked against the services the code defines; the shape it
// scales out to (2 replicas of everything behind one PostgreSQL and Redis) runs as processes in scale-out.test.ts.
type Service = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: unknown;
  deploy?: { replicas?: number };
  volumes?: string[];
};
const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"), { merge: true }) as { services: Record<string, Service> };
const lbConfig = readFileSync(new URL("../../deploy/gateway-lb.conf", import.meta.url), "utf8");

describe("docker-compose.yml", () => {
  it("runs exactly postgres, redis, the five subgraphs, the gateway and its load balancer", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["gateway", "gateway-lb", "postgres", "redis", ...SUBGRAPH_NAMES].sort());
  });

  it.each(SUBGRAPH_NAMES)("runs 2 replicas of %s on its port, against PostgreSQL and Redis, with the shared caller secret", (name) => {
    const service = compose.services[name]!;
    const port = DEFAULT_PORTS[name];
    expect(service.deploy?.replicas).toBe(2);
    expect(service.command).toEqual(["npx", "tsx", `subgraphs/${name}/src/index.ts`]);
    // Two replicas cannot both publish one host port: siblings and gateways reach them by service name.
    expect(service.ports).toBeUndefined();
    expect(service.environment).toMatchObject({ PORT: String(port), HOST: "0.0.0.0" });
    expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(service.environment?.REDIS_URL).toBe("redis://redis:6379");
    expect(service.environment?.O2O_CALLER_SECRET).toBe(compose.services.gateway!.environment?.O2O_CALLER_SECRET);
    // Sibling calls (checkout) go to the service name, which compose's DNS answers with every replica.
    for (const other of SUBGRAPH_NAMES) expect(service.environment?.[subgraphUrlEnv(other)]).toBe(`http://${other}:${DEFAULT_PORTS[other]}/graphql`);
  });

  it("runs 2 gateway replicas, each pointed at every subgraph by service name and port", () => {
    const gateway = compose.services.gateway!;
    expect(gateway.deploy?.replicas).toBe(2);
    expect(gateway.ports).toBeUndefined();
    expect(gateway.environment?.PORT).toBe(String(DEFAULT_PORTS.gateway));
    for (const name of SUBGRAPH_NAMES) {
      expect(gateway.environment?.[subgraphUrlEnv(name)]).toBe(`http://${name}:${DEFAULT_PORTS[name]}/graphql`);
    }
    expect(gateway.command).toEqual(["npx", "tsx", "gateway/src/index.ts"]);
  });

  it("publishes the API through one load balancer that spreads over the gateway replicas and forwards the client address", () => {
    const lb = compose.services["gateway-lb"]!;
    expect(lb.image).toMatch(/^nginx:/);
    expect(lb.ports).toEqual([`${DEFAULT_PORTS.gateway}:${DEFAULT_PORTS.gateway}`]);
    expect(lb.volumes).toEqual(["./deploy/gateway-lb.conf:/etc/nginx/conf.d/default.conf:ro"]);
    expect(lb.depends_on).toEqual(["gateway"]);
    expect(lbConfig).toMatch(new RegExp(`listen ${DEFAULT_PORTS.gateway};`));
    expect(lbConfig).toMatch(new RegExp(`set \\$gateway http://gateway:${DEFAULT_PORTS.gateway};`));
    expect(lbConfig).toMatch(/proxy_pass \$gateway;/);
    expect(lbConfig).toMatch(/resolver 127\.0\.0\.11/); // re-resolved: replicas that restart get new addresses
    expect(lbConfig).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for/);
    // One proxy hop appends the client address; the gateway trusts exactly that one (anonymous buckets per client).
    expect(compose.services.gateway!.environment?.GATEWAY_TRUSTED_PROXY_HOPS).toBe("1");
  });

  it("gives the gateway the subgraphs' Redis (key credentials, buckets, persisted queries shared by replicas) and no open introspection", () => {
    const gateway = compose.services.gateway!;
    expect(gateway.environment?.REDIS_URL).toBe(compose.services.stores!.environment?.REDIS_URL);
    expect(gateway.environment?.GATEWAY_INTROSPECTION).toBe("scoped");
  });

  it("lets PostgreSQL take the connections of 2 × 5 subgraph pools", () => {
    const max = Number(/max_connections=(\d+)/.exec((compose.services.postgres!.command ?? []).join(" "))?.[1] ?? 100);
    expect(max).toBeGreaterThanOrEqual(2 * SUBGRAPH_NAMES.length * 10 + 50);
  });
});
