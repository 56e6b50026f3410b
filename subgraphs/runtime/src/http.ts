import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { withRequestLog } from "./logger.ts";
import { countGraphQLErrors, httpRequests, registry } from "./metrics.ts";
import { activeTraceId, withServerSpan } from "./tracing.ts";

/** Largest request body accepted (bytes); bigger ones get 413 before any parsing. */
export const MAX_BODY_BYTES = Number(process.env.O2O_MAX_BODY_BYTES ?? 1_000_000);

export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpOptions<Ctx extends BaseContext> {
  service: string;
  apollo: ApolloServer<Ctx>;
  context: (req: IncomingMessage) => Promise<Ctx>;
  /** Extra GET routes, e.g. `/ready`. `/health` and `/metrics` always exist. */
  routes?: Record<string, ExtraRoute>;
}

/**
 * A small node:http integration for Apollo Server (Apollo Server 5 ships none besides the
 * standalone one, which cannot add /health or /metrics). GraphQL is served at /graphql.
 */
export function createHttpServer<Ctx extends BaseContext>(options: HttpOptions<Ctx>): Server {
  const routes: Record<string, ExtraRoute> = {
    "/health": (_req, res) => send(res, 200, "application/json", JSON.stringify({ status: "ok", service: options.service })),
    "/metrics": async (_req, res) => send(res, 200, registry.contentType, await registry.metrics()),
    ...options.routes,
  };
  // From the moment a stop begins (closeServer), /ready says so, whatever its checks would say: load balancers stop sending.
  const ready = routes["/ready"];
  if (ready) {
    routes["/ready"] = (req, res) =>
      draining.has(server) ? send(res, 503, "application/json", JSON.stringify({ status: "draining", service: options.service, checks: {} })) : ready(req, res);
  }
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.labels({ service: options.service, status: String(res.statusCode) }).observe(seconds);
    });
    // A draining server answers what it is still sent, then lets the connection go (closeServer).
    if (draining.has(server)) res.setHeader("connection", "close");
    // Probes and scrapes stay out of traces and request logs; GraphQL requests get a server span and a request id.
    const run = () => handle(options, routes, req, res);
    const served = req.method === "GET" && routes[(req.url ?? "/").split("?")[0]!] ? run() : traced(options.service, req, res, run);
    served.catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
      else res.destroy(error as Error);
    });
  });
  return server;
}

function traced(service: string, req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void> {
  const requestId = requestIdOf(req);
  return withServerSpan(service, req, res, () => withRequestLog({ requestId, traceId: activeTraceId() }, run));
}

/**
 * The request id every service logs a request under: the caller's `x-request-id` when it is a sane one (the gateway
 * passes its own on to the subgraphs), a new one otherwise — written back onto the request, so the logs, the context
 * builders and the response header all agree.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  if (typeof given === "string" && /^[\w.-]{1,64}$/.test(given)) return given;
  const made = randomUUID();
  req.headers["x-request-id"] = made;
  return made;
}

async function handle<Ctx extends BaseContext>(
  options: HttpOptions<Ctx>,
  routes: Record<string, ExtraRoute>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = req.method === "GET" ? routes[url.pathname] : undefined;
  if (route) return void (await route(req, res));
  if (url.pathname === "/" && req.method === "GET") return redirect(res, "/graphql");
  if (url.pathname !== "/graphql") return sendError(res, 404, "NOT_FOUND", `No route ${url.pathname}; GraphQL is at /graphql`);

  const raw = await readBody(req);
  if (raw === null) return sendError(res, 413, "BAD_REQUEST", `Request body larger than ${MAX_BODY_BYTES} bytes`);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  let body: unknown = raw;
  if (req.method === "POST" && (headers.get("content-type") ?? "").includes("json") && raw.length > 0) {
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, "BAD_REQUEST", "Request body is not valid JSON");
    }
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    countGraphQLErrors(options.service, response.body.string);
    return void sendComplete(req, res, response.body.string);
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * HTML (the sandbox, ~9 MB of self-contained GraphiQL) gets a CSP that allows only this origin,
 * inline code and blob: workers — so nothing can load from a CDN — and is gzipped once, then reused.
 */
export const SANDBOX_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'";
let gzipped: { body: string; gz: Buffer } | undefined;

function sendComplete(req: IncomingMessage, res: ServerResponse, body: string): void {
  const isHtml = String(res.getHeader("content-type") ?? "").startsWith("text/html");
  if (!isHtml) return void res.end(body);
  res.setHeader("content-security-policy", SANDBOX_CSP);
  if (!/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) return void res.end(body);
  if (gzipped?.body !== body) gzipped = { body, gz: gzipSync(body) };
  res.setHeader("content-encoding", "gzip");
  res.end(gzipped.gz);
}

/**
 * The body, or null when it is over MAX_BODY_BYTES. An oversized body is read to its end and thrown away (not
 * kept), so the client, still uploading, gets its 413 instead of a reset connection; one that goes on past
 * 8 × the limit is cut off.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 8 * MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      } else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type }).end(body);
}

/** Errors outside GraphQL execution still answer in GraphQL's JSON shape with a stable code. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, "application/json", JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location }).end();
}

/** Listens on `port` (0 = any free port) on `host`; resolves with the base URL. */
export async function listen(server: Server, port: number, host = process.env.HOST ?? "127.0.0.1"): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

const draining = new WeakSet<Server>();

/** O2O_SHUTDOWN_GRACE_MS (default 10 000): how long a stop waits for in-flight requests before cutting them off. */
export const shutdownGraceMs = (env: NodeJS.ProcessEnv = process.env): number => Number(env.O2O_SHUTDOWN_GRACE_MS ?? 10_000);
/** O2O_SHUTDOWN_DELAY_MS (default 0): how long /ready answers 503 `draining` while requests are still taken. */
export const shutdownDelayMs = (env: NodeJS.ProcessEnv = process.env): number => Number(env.O2O_SHUTDOWN_DELAY_MS ?? 0);

/**
 * A graceful stop: /ready answers 503 `draining` at once, and for `delayMs` (the time load balancers take to notice)
 * requests are still taken; then no new connections, requests in flight finish (at most `graceMs`), each connection
 * closed as soon as it falls idle (so a kept-alive client cannot hold the process open); whatever is left is cut.
 */
export async function closeServer(server: Server, graceMs = shutdownGraceMs(), delayMs = shutdownDelayMs()): Promise<void> {
  draining.add(server);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
