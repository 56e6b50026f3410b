import { readFileSync } from "node:fs";
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphUrlEnv } from "@o2o/runtime";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// No Docker engine runs here, so the compose file is checked against the services the code defines.
const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[]; depends_on?: unknown }>;
};

describe("docker-compose.yml", () => {
  it("runs exactly postgres, redis, the five subgraphs and the gateway", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["gateway", "postgres", "redis", ...SUBGRAPH_NAMES].sort());
  });

  it.each(SUBGRAPH_NAMES)("runs %s on its port, against PostgreSQL and Redis, with the shared caller secret", (name) => {
    const service = compose.services[name]!;
    const port = DEFAULT_PORTS[name];
    expect(service.command).toEqual(["npx", "tsx", `subgraphs/${name}/src/index.ts`]);
    expect(service.ports).toEqual([`${port}:${port}`]);
    expect(service.environment).toMatchObject({ PORT: String(port), HOST: "0.0.0.0" });
    expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(service.environment?.REDIS_URL).toBe("redis://redis:6379");
    expect(service.environment?.O2O_CALLER_SECRET).toBe(compose.services.gateway!.environment?.O2O_CALLER_SECRET);
  });

  it("points the gateway at every subgraph by service name and port", () => {
    const gateway = compose.services.gateway!;
    expect(gateway.ports).toEqual([`${DEFAULT_PORTS.gateway}:${DEFAULT_PORTS.gateway}`]);
    for (const name of SUBGRAPH_NAMES) {
      expect(gateway.environment?.[subgraphUrlEnv(name)]).toBe(`http://${name}:${DEFAULT_PORTS[name]}/graphql`);
    }
    expect(gateway.command).toEqual(["npx", "tsx", "gateway/src/index.ts"]);
  });

  it("gives the gateway the subgraphs' Redis (key credentials, buckets, persisted queries shared by replicas) and no open introspection", () => {
    const gateway = compose.services.gateway!;
    expect(gateway.environment?.REDIS_URL).toBe(compose.services.stores!.environment?.REDIS_URL);
    expect(gateway.environment?.GATEWAY_INTROSPECTION).toBe("scoped");
  });
});
