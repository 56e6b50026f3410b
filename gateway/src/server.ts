import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApolloServer } from "@apollo/server";
import { closeServer, createHttpServer, listen, logger } from "@o2o/runtime";
import { authenticate } from "./auth.ts";
import type { GatewayConfig } from "./config.ts";
import type { GatewayContext } from "./context.ts";
import { aliasLimit, depthLimit } from "./limits.ts";
import { createPlanner } from "./plan.ts";
import { formatError, requestIdHeader } from "./respond.ts";
import { sandbox, type SandboxOptions } from "./sandbox.ts";

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * The public entry. A request goes through, in order: auth.ts (who is calling) → limits.ts (refuse
 * oversized operations before planning) → plan.ts (cached query plan over the checked-in
 * supergraph) → execute.ts (signed fetches to subgraphs) → respond.ts (error shape, request id).
 */
export async function startGateway(config: GatewayConfig, options: { sandbox?: SandboxOptions } = {}): Promise<RunningGateway> {
  const apollo = new ApolloServer<GatewayContext>({
    gateway: createPlanner(config),
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules: [depthLimit(config.maxDepth), aliasLimit(config.maxAliases)],
    plugins: [sandbox(options.sandbox), requestIdHeader],
  });
  await apollo.start();
  const server = createHttpServer<GatewayContext>({ service: "gateway", apollo, context: async (req) => context(req) });
  const base = await listen(server, config.port);
  logger.info({ url: `${base}/graphql` }, "gateway listening");
  return {
    url: `${base}/graphql`,
    stop: async () => {
      await closeServer(server);
      await apollo.stop();
    },
  };
}

function context(req: IncomingMessage): GatewayContext {
  const given = req.headers["x-request-id"];
  const requestId = typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
  return { caller: authenticate(req), requestId };
}
