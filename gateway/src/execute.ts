import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { Pool } from "undici";
import { ANONYMOUS, CALLER_HEADER, codedError, ErrorCode, signCaller, subgraphFetches } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";
import { FetchCache, type Fetched, type SubgraphAnswer } from "./fetch-cache.ts";

/**
 * Stage 4: executing the plan's fetches. Every subgraph request carries the caller signed with the shared secret
 * (subgraphs refuse anything else) and the request id. Requests go through one undici pool per subgraph: kept-alive
 * connections and no WHATWG Request/Response objects per fetch (what @apollo/gateway's RemoteGraphQLDataSource builds).
 * Fetches of query operations go through the entity cache (fetch-cache.ts) when it is on. A subgraph that cannot be
 * reached becomes one SERVICE_UNAVAILABLE error naming it, and the other subgraphs' data still returns.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly cache: FetchCache | null;

  constructor(
    readonly subgraph: string,
    url: string,
    cache: FetchCache | null,
  ) {
    const target = new URL(url);
    this.pool = new Pool(target.origin, { connections: 128, keepAliveTimeout: 30_000 });
    this.path = `${target.pathname}${target.search}`;
    this.cache = cache;
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context: Partial<GatewayContext> = options.context ?? {};
    // Health checks and schema loading run without a request context: they go out as anonymous.
    const caller = context.caller ?? ANONYMOUS;
    // Signed once per request, not per fetch (an HMAC each); a signature stays valid for minutes.
    const signed = context.caller ? (context.signedCaller ??= signCaller(caller)) : signCaller(caller);
    const send = (variables: Record<string, unknown>) => this.send(request.query ?? "", variables, request.operationName, signed, context.requestId);
    const incoming = "incomingRequestContext" in options ? options.incomingRequestContext : null;
    const cached = this.cache && incoming?.operation?.operation === "query";
    const { body, maxAge } = cached ? await this.cache!.fetch(request.query ?? "", request.variables ?? {}, caller, send, context.cacheVersions) : await send(request.variables ?? {});
    // The gateway's own `cache-control` answer header: public only when every fetch was (Apollo's rule).
    incoming?.overallCachePolicy.restrict(maxAge ? { maxAge, scope: "PUBLIC" } : { maxAge: 0 });
    return body as GatewayGraphQLResponse;
  }

  private async send(query: string, variables: Record<string, unknown>, operationName: string | undefined, signedCaller: string, requestId: string | undefined): Promise<Fetched> {
    const headers: Record<string, string> = { "content-type": "application/json", [CALLER_HEADER]: signedCaller };
    if (requestId) headers["x-request-id"] = requestId;
    let status: number;
    let text: string;
    let cacheControl: string | undefined;
    try {
      const response = await this.pool.request({ path: this.path, method: "POST", headers, body: JSON.stringify({ query, variables, operationName }) });
      status = response.statusCode;
      cacheControl = response.headers["cache-control"] as string | undefined;
      text = await response.body.text();
    } catch {
      subgraphFetches.labels({ subgraph: this.subgraph, outcome: "error" }).inc();
      throw this.unavailable();
    }
    const body = parseAnswer(text);
    subgraphFetches.labels({ subgraph: this.subgraph, outcome: status === 200 && body ? "ok" : "error" }).inc();
    if (status === 200 && body) return { body, maxAge: publicMaxAge(cacheControl) };
    // The subgraph answered with an HTTP error but with GraphQL errors (e.g. 400 for a variable it could not
    // coerce): they carry the real codes, so pass them through as its answer.
    if (body?.errors?.length) return { body: { errors: body.errors }, maxAge: null };
    throw this.unavailable();
  }

  private unavailable() {
    return codedError(ErrorCode.SERVICE_UNAVAILABLE, `The ${this.subgraph} service is unavailable; data it provides is missing from this response.`, {
      serviceName: this.subgraph,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function parseAnswer(text: string): SubgraphAnswer | null {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as SubgraphAnswer) : null;
  } catch {
    return null;
  }
}

/** `max-age=N, public` → N; anything else (private, no-store, absent) → null: not to be shared. */
function publicMaxAge(header: string | undefined): number | null {
  if (!header || !/\bpublic\b/.test(header)) return null;
  const maxAge = /\bmax-age=(\d+)/.exec(header);
  return maxAge ? Number(maxAge[1]) : null;
}
