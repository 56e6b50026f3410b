import type { IncomingMessage, Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
// 2.14 does not re-export the type from its index.
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, type DocumentNode } from "graphql";
import { CALLER_HEADER, verifyCaller, type Caller } from "./caller.ts";
import { codedError, ErrorCode, formatError } from "./errors.ts";
import { closeServer, createHttpServer, listen, requestIdOf } from "./http.ts";
import { logger } from "./logger.ts";
import type { DatabaseTarget } from "./db.ts";
import { migrate, runtimeMigrations, type MigrationResult } from "./migrate.ts";
import { databaseCheck, readiness, redisChecks } from "./readiness.ts";
import { stopTracing } from "./tracing.ts";
import { portOf, type SubgraphName } from "./services.ts";
import type { Worker } from "./wiring.ts";

/** What every subgraph's context starts from: the verified caller and the gateway's request id. */
export interface RequestInfo {
  caller: Caller;
  requestId: string;
}

/**
 * A subgraph as a value: schema, resolvers, context and data lifecycle, never listening by itself,
 * so tests and the all-in-one start can run it in-process and `index.ts` can run it alone.
 */
export interface Subgraph<Ctx extends RequestInfo = RequestInfo> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<Ctx>;
  /** Its database, for the readiness check. */
  target: DatabaseTarget;
  context(info: RequestInfo): Ctx;
  migrate(): Promise<MigrationResult>;
  /** Writes the deterministic demo data; safe to run twice. */
  seed(): Promise<void>;
  /** Background loops started with the server (outbox relay, event consumer…), by name. */
  workers: Record<string, Worker>;
  close(): Promise<void>;
}

export interface SubgraphParts<Ctx extends RequestInfo> {
  name: SubgraphName;
  /** The subgraph package's root (`new URL("..", import.meta.url)` from src/). */
  root: URL;
  target: DatabaseTarget;
  // Generated resolver types are stricter than Apollo's map; the schema build checks the match.
  resolvers: object;
  context(info: RequestInfo): Ctx;
  seed(): Promise<void>;
  workers?: Record<string, Worker>;
  close(): Promise<void>;
}

/** Assembles a subgraph from its package layout: schema.graphql, prisma/migrations, seed. */
export function defineSubgraph<Ctx extends RequestInfo>(parts: SubgraphParts<Ctx>): Subgraph<Ctx> {
  const migrationsDir = fileURLToPath(new URL("prisma/migrations", parts.root));
  return {
    name: parts.name,
    typeDefs: parse(readFileSync(new URL("schema.graphql", parts.root), "utf8")),
    resolvers: parts.resolvers as GraphQLResolverMap<Ctx>,
    target: parts.target,
    context: parts.context,
    // The subgraph's own migrations and the runtime's tables (outbox, processed events, idempotency) in its schema.
    migrate: async () => migrate(parts.target, parts.name, migrationsDir, await runtimeMigrations(parts.name)),
    seed: parts.seed,
    workers: parts.workers ?? {},
    close: parts.close,
  };
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  /** The subgraph's background loops, running; tests stop and restart a consumer through these. */
  workers: Record<string, Worker>;
  stop(): Promise<void>;
}

/** Builds the Apollo subgraph server and HTTP listener for a subgraph, then listens on `port`. */
export async function startSubgraph<Ctx extends RequestInfo>(subgraph: Subgraph<Ctx>, port: number): Promise<RunningSubgraph> {
  const apollo = new ApolloServer<Ctx>({
    schema: buildSubgraphSchema([{ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }]),
    formatError,
    includeStacktraceInErrorResponses: false,
    // Subgraphs answer only the gateway; the sandbox lives there. No Apollo Studio traces either.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), requestLog<Ctx>(subgraph.name)],
  });
  await apollo.start();
  // Ready when its database answers (and Redis, when configured: its cache and event bus).
  const ready = readiness(subgraph.name, { database: databaseCheck(subgraph.target), ...redisChecks() });
  const server: Server = createHttpServer({
    service: subgraph.name,
    apollo,
    context: async (req) => subgraph.context(requestInfo(req)),
    routes: { "/ready": ready.route },
  });
  const base = await listen(server, port);
  logger.info({ subgraph: subgraph.name, url: `${base}/graphql` }, "subgraph listening");
  const workers = Object.values(subgraph.workers);
  for (const worker of workers) worker.start();
  return {
    name: subgraph.name,
    url: `${base}/graphql`,
    workers: subgraph.workers,
    // Not ready first, then requests in flight finish (their events are written), then the workers stop.
    stop: async () => {
      await closeServer(server);
      await Promise.all(workers.map((w) => w.stop()));
      await apollo.stop();
      await ready.close();
    },
  };
}

/** One log line per request a subgraph answers; the logger adds its request id and trace id. */
function requestLog<Ctx extends RequestInfo>(name: string): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, errors }) {
          logger.info({ subgraph: name, operation: operationName ?? null, errors: errors?.map((e) => e.extensions?.code ?? "UNKNOWN") }, "subgraph request");
        },
      };
    },
  };
}

/** Subgraphs trust only a caller record the gateway signed; anything else is refused outright. */
function requestInfo(req: IncomingMessage): RequestInfo {
  const header = req.headers[CALLER_HEADER];
  const caller = verifyCaller(Array.isArray(header) ? header[0] : header);
  if (!caller) {
    throw codedError(ErrorCode.UNAUTHENTICATED, "Subgraphs only answer requests signed by the gateway.", {
      http: { status: 401 },
    });
  }
  return { caller, requestId: requestIdOf(req) };
}

/** `index.ts` of every subgraph: migrate, seed when SEED=1 (or always in embedded mode), listen. */
export async function runStandalone<Ctx extends RequestInfo>(subgraph: Subgraph<Ctx>, seed: boolean): Promise<RunningSubgraph> {
  const migrated = await subgraph.migrate();
  logger.info({ subgraph: subgraph.name, ...migrated }, "migrations applied");
  if (seed) await subgraph.seed();
  const running = await startSubgraph(subgraph, portOf(subgraph.name));
  const shutdown = async () => {
    await running.stop();
    await subgraph.close();
    await stopTracing();
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return running;
}

/** A subgraph with its context type erased: what a composition root needs to run several side by side. */
export interface SubgraphLifecycle {
  name: SubgraphName;
  migrate(): Promise<MigrationResult>;
  seed(): Promise<void>;
  start(port: number): Promise<RunningSubgraph>;
  close(): Promise<void>;
}

export function lifecycle<Ctx extends RequestInfo>(subgraph: Subgraph<Ctx>): SubgraphLifecycle {
  return {
    name: subgraph.name,
    migrate: () => subgraph.migrate(),
    seed: () => subgraph.seed(),
    start: (port) => startSubgraph(subgraph, port),
    close: () => subgraph.close(),
  };
}
