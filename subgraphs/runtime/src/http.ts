import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { httpRequests, registry } from "./metrics.ts";

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
  return createServer((req, res) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.labels({ service: options.service, status: String(res.statusCode) }).observe(seconds);
    });
    handle(options, routes, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
      else res.destroy(error as Error);
    });
  });
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
  if (response.body.kind === "complete") return void sendComplete(req, res, response.body.string);
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

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
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

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
