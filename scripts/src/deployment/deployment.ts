import { SUBGRAPH_NAMES, subgraphUrlEnv, type SubgraphName } from "@o2o/runtime";
import { freePort, spawnNode, type Child } from "../bench/processes.ts";

/**
 * The deployed shape, as plain processes: each subgraph its own `node` process (its `src/index.ts`, as the
 * Dockerfile runs it), and the gateway (`gateway/src/index.ts`), all against one PostgreSQL and one Redis. Tests kill,
 * slow down and restart these processes; nothing runs in the test's own process but the test.
 */
export interface ServiceProcess {
  name: string;
  /** Base URL (no path); GraphQL is at `${base}/graphql`. */
  base: string;
  port: number;
  /** The running process's pid (for /proc readings such as RSS); null while it is stopped. */
  pid(): number | null;
  /** SIGKILL: no shutdown hooks, no drain (a crash, an OOM kill). */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same environment (after kill or stop); resolves once /health answers. */
  start(): Promise<void>;
  running(): boolean;
  /** Its last output lines (for failure messages). */
  tail(): string;
}

export interface DeploymentOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Processes per subgraph (default 1); replica 0 seeds the demo data, the others start after it. */
  subgraphReplicas?: number;
  /** Gateway processes (default 1); gateway i reaches subgraph replica i % subgraphReplicas. */
  gateways?: number;
  /** Extra environment for every process (e.g. GATEWAY_SUBGRAPH_TIMEOUT_MS); per-service values in `envFor`. */
  env?: NodeJS.ProcessEnv;
  envFor?: Partial<Record<SubgraphName | "gateway", NodeJS.ProcessEnv>>;
  /** Where gateway i sends each subgraph's fetches, instead of the replica's own URL (e.g. a delaying proxy). */
  routeOverride?: Partial<Record<SubgraphName, string>>;
}

export interface Deployment {
  /** The first gateway's GraphQL URL. */
  gatewayUrl: string;
  gateways: ServiceProcess[];
  /** subgraphs[name][replica] */
  subgraphs: Record<SubgraphName, ServiceProcess[]>;
  /** The secrets every process shares (sign member tokens with memberTokenSecret in tests). */
  secrets: { caller: string; memberToken: string };
  stop(): Promise<void>;
}

const SECRETS = { caller: "deployment-test-caller-secret", memberToken: "deployment-test-member-secret" };

/** Environment of a child: the test's PATH and HOME, nothing of vitest's (so the child logs and behaves as deployed). */
function baseEnv(options: DeploymentOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST|NODE_OPTIONS|DATABASE_URL|REDIS_URL|O2O_|GATEWAY_|[A-Z]+_URL$)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.DEPLOYMENT_LOG_LEVEL ?? "warn",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    O2O_CALLER_SECRET: SECRETS.caller,
    O2O_MEMBER_TOKEN_SECRET: SECRETS.memberToken,
    HOST: "127.0.0.1",
    ...options.env,
  };
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const replicas = options.subgraphReplicas ?? 1;
  const ports = Object.fromEntries(
    await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await Promise.all(Array.from({ length: replicas }, () => freePort()))] as const)),
  ) as Record<SubgraphName, number[]>;
  const urlsOf = (replica: number): NodeJS.ProcessEnv =>
    Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlEnv(name), `http://127.0.0.1:${ports[name][replica % replicas]}/graphql`]));
  const env = baseEnv(options);
  const subgraphs = {} as Record<SubgraphName, ServiceProcess[]>;
  const all: ServiceProcess[] = [];
  try {
    for (let replica = 0; replica < replicas; replica++) {
      const started = SUBGRAPH_NAMES.map((name) => {
        const processEnv = { ...env, ...urlsOf(replica), ...options.envFor?.[name], PORT: String(ports[name][replica]), SEED: replica === 0 ? "1" : "0" };
        const service = serviceProcess(`${name}#${replica}`, `subgraphs/${name}/src/index.ts`, ports[name][replica]!, processEnv);
        (subgraphs[name] ??= []).push(service);
        all.push(service);
        return service.start();
      });
      await Promise.all(started);
    }
    const gateways: ServiceProcess[] = [];
    for (let i = 0; i < (options.gateways ?? 1); i++) {
      const port = await freePort();
      const overrides = Object.fromEntries(Object.entries(options.routeOverride ?? {}).map(([name, url]) => [subgraphUrlEnv(name as SubgraphName), url]));
      const processEnv = { ...env, ...urlsOf(i), ...overrides, ...options.envFor?.gateway, GATEWAY_PORT: String(port) };
      const gateway = serviceProcess(`gateway#${i}`, "gateway/src/index.ts", port, processEnv);
      gateways.push(gateway);
      all.push(gateway);
    }
    await Promise.all(gateways.map((g) => g.start()));
    return {
      gatewayUrl: `${gateways[0]!.base}/graphql`,
      gateways,
      subgraphs,
      secrets: SECRETS,
      stop: async () => void (await Promise.all(all.map((s) => s.stop()))),
    };
  } catch (err) {
    await Promise.all(all.map((s) => s.kill()));
    throw err;
  }
}

function serviceProcess(name: string, file: string, port: number, env: NodeJS.ProcessEnv): ServiceProcess {
  let child: Child | null = null;
  let lastTail = "";
  const base = `http://127.0.0.1:${port}`;
  const end = async (how: (c: Child) => Promise<void>) => {
    if (!child) return;
    const current = child;
    child = null;
    await how(current);
    lastTail = current.tail();
  };
  return {
    name,
    base,
    port,
    pid: () => child?.pid ?? null,
    running: () => child !== null,
    kill: () => end((c) => c.kill()),
    stop: () => end((c) => c.stop(15_000)),
    start: async () => {
      if (child) return;
      const current = spawnNode(name, file, env);
      child = current;
      await waitForHealth(base, current, name, 90_000);
    },
    tail: () => child?.tail() ?? lastTail,
  };
}

async function waitForHealth(base: string, child: Child, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.waitForLine(/(?!)/, timeoutMs).catch((err: Error) => {
    if (/exited/.test(err.message)) exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited while starting:\n${child.tail()}`);
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name}: no /health within ${timeoutMs} ms:\n${child.tail()}`);
}
