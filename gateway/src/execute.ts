import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { Pool } from "undici";
import { ANONYMOUS, CALLER_HEADER, codedError, ErrorCode, signCaller, subgraphFetchDuration, subgraphFetches, withClientSpan } from "@o2o/runtime";
import type { SubgraphLimits } from "./config.ts";
import type { GatewayContext } from "./context.ts";
import { FetchCache, type Fetched, type SubgraphAnswer } from "./fetch-cache.ts";

/**
 * Stage 4: executing the plan's fetches. Every subgraph request carries the caller signed with the shared secret
 * (subgraphs refuse anything else) and the request id. Requests go through one undici pool per subgraph: kept-alive
 * connections and no WHATWG Request/Response objects per fetch (what @apollo/gateway's RemoteGraphQLDataSource builds).
 * Fetches of query operations go through the entity cache (fetch-cache.ts) when it is on. A subgraph that cannot be
 * reached, answers too slowly or has too many fetches waiting becomes one SERVICE_UNAVAILABLE error naming it (with
 * `extensions.reason`: UNREACHABLE, TIMEOUT, OVERLOADED or BAD_RESPONSE), and the other subgraphs' data still returns.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly cache: FetchCache | null;
  /** Fetches in flight or queued for a connection: bounded, so a slow subgraph cannot pile requests up here. */
  private pending = 0;

  constructor(
    readonly subgraph: string,
    url: string,
    cache: FetchCache | null,
    private readonly limits: SubgraphLimits = { timeoutMs: 10_000, maxPending: 512 },
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
    const send = (variables: Record<string, unknown>) => this.observed((trace) => this.send(request.query ?? "", variables, request.operationName, signed, context.requestId, trace));
    const incoming = "incomingRequestContext" in options ? options.incomingRequestContext : null;
    const cached = this.cache && incoming?.operation?.operation === "query";
    const { body, maxAge } = cached ? await this.cache!.fetch(request.query ?? "", request.variables ?? {}, caller, send, context.cacheVersions) : await send(request.variables ?? {});
    // The gateway's own `cache-control` answer header: public only when every fetch was (Apollo's rule).
    incoming?.overallCachePolicy.restrict(maxAge ? { maxAge, scope: "PUBLIC" } : { maxAge: 0 });
    return body as GatewayGraphQLResponse;
  }

  /** One client span per fetch (its `traceparent` sent along) and its duration, by outcome: ok or the failure's reason. */
  private async observed(fetch: (traceHeaders: Record<string, string>) => Promise<Fetched>): Promise<Fetched> {
    const end = subgraphFetchDuration.startTimer({ subgraph: this.subgraph });
    try {
      const fetched = await withClientSpan("gateway", `POST ${this.subgraph}`, { "o2o.subgraph": this.subgraph }, fetch);
      end({ outcome: "ok" });
      return fetched;
    } catch (err) {
      const reason = (err as { extensions?: { reason?: unknown } }).extensions?.reason;
      end({ outcome: typeof reason === "string" ? reason.toLowerCase() : "error" });
      throw err;
    }
  }

  private async send(query: string, variables: Record<string, unknown>, operationName: string | undefined, signedCaller: string, requestId: string | undefined, trace: Record<string, string>): Promise<Fetched> {
    const headers: Record<string, string> = { ...trace, "content-type": "application/json", [CALLER_HEADER]: signedCaller };
    if (requestId) headers["x-request-id"] = requestId;
    let status: number;
    let text: string;
    let cacheControl: string | undefined;
    if (this.pending >= this.limits.maxPending) {
      subgraphFetches.labels({ subgraph: this.subgraph, outcome: "error" }).inc();
      throw this.unavailable("OVERLOADED", `The ${this.subgraph} service has too many requests waiting; data it provides is missing from this response.`);
    }
    // The clock starts at dispatch, so time queued for a free connection counts. Aborting drops a queued request or
    // closes its socket: the subgraph sees the client go away and no connection stays held. No fetch is ever retried:
    // a timed-out mutation may still complete at the subgraph, and a retry could apply it twice (the client sees
    // TIMEOUT and may repeat it with the same idempotency key).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.limits.timeoutMs);
    this.pending++;
    try {
      const response = await this.pool.request({ path: this.path, method: "POST", headers, body: JSON.stringify({ query, variables, operationName }), signal: abort.signal });
      status = response.statusCode;
      cacheControl = response.headers["cache-control"] as string | undefined;
      text = await response.body.text();
    } catch {
      subgraphFetches.labels({ subgraph: this.subgraph, outcome: "error" }).inc();
      throw abort.signal.aborted
        ? this.unavailable("TIMEOUT", `The ${this.subgraph} service did not answer within ${this.limits.timeoutMs} ms; data it provides is missing from this response.`)
        : this.unavailable("UNREACHABLE");
    } finally {
      clearTimeout(timer);
      this.pending--;
    }
    const body = parseAnswer(text);
    subgraphFetches.labels({ subgraph: this.subgraph, outcome: status === 200 && body ? "ok" : "error" }).inc();
    if (status === 200 && body) return { body, maxAge: publicMaxAge(cacheControl) };
    // The subgraph answered with an HTTP error but with GraphQL errors (e.g. 400 for a variable it could not
    // coerce): they carry the real codes, so pass them through as its answer.
    if (body?.errors?.length) return { body: { errors: body.errors }, maxAge: null };
    throw this.unavailable("BAD_RESPONSE");
  }

  private unavailable(reason: UnavailableReason, message = `The ${this.subgraph} service is unavailable; data it provides is missing from this response.`) {
    return codedError(ErrorCode.SERVICE_UNAVAILABLE, message, { serviceName: this.subgraph, reason });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** `extensions.reason` of a SERVICE_UNAVAILABLE error: why the subgraph's data is missing. */
export type UnavailableReason = "UNREACHABLE" | "TIMEOUT" | "OVERLOADED" | "BAD_RESPONSE";

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
