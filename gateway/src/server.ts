import type { IncomingMessage } from "node:http";
import { ApolloServer } from "@apollo/server";
import { cacheFromEnv, closeServer, createHttpServer, httpCheck, listen, logger, Peers, readiness, redisChecks, requestIdOf, SUBGRAPH_NAMES, type Cache } from "@o2o/runtime";
import { authenticator, type Authenticate } from "./auth.ts";
import { withAuthorization } from "./authorize.ts";
import type { GatewayConfig } from "./config.ts";
import type { GatewayContext } from "./context.ts";
import { credentialLookup } from "./credentials.ts";
import { fairUse } from "./fair-use.ts";
import { aliasLimit, depthLimit, introspectionGate, knownRootTypes, nulRefusal } from "./limits.ts";
import { loadManifest, persistedQueryCache, safelistPlugin } from "./persisted.ts";
import { createPlanner } from "./plan.ts";
import { withResponseCache } from "./response-cache.ts";
import { formatError, respond } from "./respond.ts";
import { sandbox, type SandboxOptions } from "./sandbox.ts";
import { bucketFromEnv, type Bucket } from "./throttle.ts";

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  sandbox?: SandboxOptions;
  /** Where API-key credentials and APQ registrations are cached (default: Redis at REDIS_URL, else memory). */
  cache?: Cache;
  /** Query-cost buckets (default: Redis at REDIS_URL, else memory). */
  bucket?: Bucket;
}

/**
 * The public entry. A request goes through, in order: auth.ts (who is calling) → limits.ts,
 * fair-use.ts, persisted.ts (refuse oversized, too costly, throttled or non-safelisted operations
 * before planning) → authorize.ts + plan.ts (fields the caller may not see removed, then a cached
 * query plan over the checked-in supergraph; response-cache.ts answers public operations it has seen whole) →
 * execute.ts (signed fetches to subgraphs, through the entity cache fetch-cache.ts) → respond.ts (error shape,
 * request id, request log).
 */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const cache = options.cache ?? cacheFromEnv();
  const bucket = options.bucket ?? bucketFromEnv();
  const peers = new Peers("gateway");
  for (const name of SUBGRAPH_NAMES) peers.register(name, config.subgraphUrls[name]);
  const authenticate = authenticator(credentialLookup(peers, cache), config);
  const manifest = loadManifest(config.persistedOperationsPath);
  const { planner, closeConnections } = createPlanner(config, config.cache ? cache : null);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: withAuthorization(config.cache ? withResponseCache(planner, cache) : planner),
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true, // gated per caller by introspectionGate
    persistedQueries: { cache: persistedQueryCache(manifest, cache) },
    validationRules: [depthLimit(config.maxDepth), aliasLimit(config.maxAliases), knownRootTypes],
    plugins: [
      sandbox(options.sandbox),
      respond,
      introspectionGate(config.introspection),
      nulRefusal,
      safelistPlugin(manifest, (ctx: GatewayContext) => ctx.access.safelistOnly),
      fairUse(bucket, config.maxCost),
    ],
  });
  await apollo.start();
  // Ready when Redis (if configured) answers and every subgraph's /health does.
  const ready = readiness("gateway", { ...redisChecks(), ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, httpCheck(config.subgraphUrls[name])])) });
  const server = createHttpServer<GatewayContext>({ service: "gateway", apollo, context: (req) => context(req, authenticate), routes: { "/ready": ready.route } });
  const base = await listen(server, config.port);
  logger.info({ url: `${base}/graphql` }, "gateway listening");
  // Not ready first (load balancers stop sending), then requests in flight finish, then the connections close.
  const stop = async () => {
    await closeServer(server);
    await apollo.stop();
    await closeConnections();
    if (!options.bucket) await bucket.close();
    if (!options.cache) await cache.close();
    await ready.close();
  };
  let stopped: Promise<void> | undefined;
  // Once: a second call (a signal during a stop, a test's cleanup) waits for the first.
  return { url: `${base}/graphql`, stop: () => (stopped ??= stop()) };
}

async function context(req: IncomingMessage, authenticate: Authenticate): Promise<GatewayContext> {
  const requestId = requestIdOf(req);
  const access = await authenticate(req);
  return { caller: access.caller, access, requestId };
}
