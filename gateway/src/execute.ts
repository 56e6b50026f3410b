import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { ANONYMOUS, CALLER_HEADER, codedError, ErrorCode, signCaller, subgraphFetches } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";

/**
 * Stage 4: executing the plan's fetches. Every subgraph request carries the caller signed with the
 * shared secret (subgraphs refuse anything else) and the request id. Node's fetch (undici) keeps
 * connections to subgraphs alive and pooled. A subgraph that cannot be reached becomes one
 * SERVICE_UNAVAILABLE error naming it, and the other subgraphs' data still returns.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
  ) {
    super({ url, fetcher: fetch as unknown as RemoteGraphQLDataSource["fetcher"] });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading run without a request context: they go out as anonymous.
    const caller = "caller" in context && context.caller ? context.caller : ANONYMOUS;
    request.http?.headers.set(CALLER_HEADER, signCaller(caller));
    if ("requestId" in context && context.requestId) request.http?.headers.set("x-request-id", context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      const response = await super.process(options);
      subgraphFetches.labels({ subgraph: this.subgraph, outcome: "ok" }).inc();
      return response;
    } catch (error) {
      subgraphFetches.labels({ subgraph: this.subgraph, outcome: "error" }).inc();
      // The subgraph answered, but with an HTTP error (e.g. 400 for a variable it could not coerce):
      // its GraphQL errors carry the real codes, so pass them through as its response.
      // (Duck-typed: @apollo/gateway may load graphql's CommonJS build, so `instanceof` is unreliable.)
      const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
      const answered = graphQLErrorsOf(extensions?.response);
      if (answered) return { errors: answered };
      if (extensions?.code && extensions.code !== "INTERNAL_SERVER_ERROR") throw error;
      throw codedError(ErrorCode.SERVICE_UNAVAILABLE, `The ${this.subgraph} service is unavailable; data it provides is missing from this response.`, {
        serviceName: this.subgraph,
      });
    }
  }
}

type ResponseError = NonNullable<GatewayGraphQLResponse["errors"]>[number];

function graphQLErrorsOf(response: unknown): ResponseError[] | null {
  if (typeof response !== "object" || response === null || !("body" in response)) return null;
  const body = response.body;
  if (typeof body !== "object" || body === null || !("errors" in body) || !Array.isArray(body.errors) || body.errors.length === 0) return null;
  return body.errors as ResponseError[];
}
