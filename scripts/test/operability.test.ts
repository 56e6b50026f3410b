import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createProductsSubgraph } from "@o2o/products";
import { demoStoreId, exportTraces, flushTraces, readiness, redisCheck, startSubgraph, stopTracing, SUBGRAPH_NAMES, type SubgraphName } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHECKOUT, freeSlot, PAY, product, setStock, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Operating the supergraph: liveness and readiness on every service, Prometheus metrics, OpenTelemetry traces across
// the gateway and the subgraphs (W3C trace context, OTLP/HTTP export), request ids in the JSON logs, graceful stop.
const LOG_FILE = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? "/tmp"}/o2o-operability-${process.pid}.log`;
  process.env.O2O_LOG_FILE = file;
  process.env.LOG_LEVEL = "info";
  return file;
});

let t: TestSupergraph;
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await otlpReceiver();
  exportTraces(`${receiver.url}/v1/traces`);
  t = await startTestSupergraph();
});
afterAll(async () => {
  await t?.stop();
  await stopTracing();
  await receiver?.close();
  rmSync(LOG_FILE, { force: true });
});

const at = (serviceUrl: string, path: string) => new URL(path, serviceUrl).toString();
const services = (): [string, string][] => [["gateway", t.url], ...SUBGRAPH_NAMES.map((n): [string, string] => [n, t.supergraph.subgraphs[n].url])];
const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
/** A name no earlier request used: the shared read cache cannot answer a fetch that carries it. */
const fresh = () => `f${randomBytes(4).toString("hex")}`;

describe("/health and /ready", () => {
  it("every service is alive and ready, with its checks named", async () => {
    for (const [service, url] of services()) {
      const health = await getJson(at(url, "/health"));
      expect(health, service).toMatchObject({ status: 200, body: { status: "ok", service } });
      const ready = await getJson(at(url, "/ready"));
      expect(ready.status, `${service}: ${JSON.stringify(ready.body)}`).toBe(200);
      expect(ready.body.status).toBe("ready");
      const expected = service === "gateway" ? [...SUBGRAPH_NAMES] : ["database"];
      if (process.env.REDIS_URL) expected.push("redis");
      expect(Object.keys(ready.body.checks).sort()).toEqual(expected.sort());
      expect(Object.values(ready.body.checks).every((v) => v === "ok")).toBe(true);
    }
  });

  it("a subgraph whose database does not answer is alive but not ready, naming the database", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const subgraph = createProductsSubgraph({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/none" });
    const running = await startSubgraph(subgraph, 0);
    try {
      expect((await getJson(at(running.url, "/health"))).status).toBe(200);
      const ready = await getJson(at(running.url, "/ready"));
      expect(ready).toMatchObject({ status: 503, body: { status: "unavailable", service: "products", failing: ["database"], checks: { database: "unavailable" } } });
      expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await running.stop();
      await subgraph.close();
    }
  });

  it("names a Redis that does not answer, and a check that hangs is cut off as a timeout", async () => {
    const ready = readiness("probe", { redis: redisCheck("redis://127.0.0.1:1"), stuck: () => new Promise<void>(() => undefined), fine: async () => undefined });
    const server = createServer((req, res) => void ready.route(req, res));
    const url = await listenOn(server);
    try {
      expect(await getJson(`${url}/ready`)).toMatchObject({
        status: 503,
        body: { status: "unavailable", failing: ["redis", "stuck"], checks: { redis: expect.stringMatching(/^(unavailable|timeout)$/), stuck: "timeout", fine: "ok" } },
      });
    } finally {
      await ready.close();
      await closed(server);
    }
  });
});

describe("Prometheus metrics", () => {
  it("counts GraphQL errors by code, per service", async () => {
    const before = await t.metric("o2o_graphql_errors_total", { service: "gateway", code: "GRAPHQL_VALIDATION_FAILED" });
    const res = await t.query(`{ noSuchField }`);
    expect(res.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await t.metric("o2o_graphql_errors_total", { service: "gateway", code: "GRAPHQL_VALIDATION_FAILED" })).toBe(before + 1);
  });

  it("observes each operation's latency under its name: anonymous, or invalid when it did not resolve", async () => {
    const count = (operation: string) => t.metric("o2o_operation_duration_seconds_count", { operation });
    const [named, anonymous, invalid] = [await count("OpsProductName"), await count("anonymous"), await count("invalid")];
    await t.query(`query OpsProductName { product(sku: "HAN-001") { name } }`);
    await t.query(`query OpsProductName { product(sku: "HAN-002") { name } }`);
    await t.query(`{ product(sku: "HAN-001") { name } }`);
    await t.query(`query Broken { product(sku: `);
    expect(await count("OpsProductName")).toBe(named + 2);
    expect(await count("anonymous")).toBe(anonymous + 1);
    expect(await count("invalid")).toBe(invalid + 1);
    // Only names of operations that parsed become labels.
    expect(await count("Broken")).toBe(0);
  });

  it("observes every subgraph fetch's latency, once per fetch sent (cache hits are not fetches)", async () => {
    const histogram = () => t.metric("o2o_subgraph_fetch_duration_seconds_count", { subgraph: "products", outcome: "ok" });
    const counter = () => t.metric("o2o_subgraph_fetches_total", { subgraph: "products", outcome: "ok" });
    const [h, c] = [await histogram(), await counter()];
    const res = await t.query(`{ ${fresh()}: product(sku: "HAN-003") { name } }`);
    expect(res.errors).toBeUndefined();
    const sent = (await counter()) - c;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect((await histogram()) - h).toBe(sent);
  });

  it("counts THROTTLED answers as rate-limit rejections, by tier", async () => {
    const key = (await t.key(["orders:read"], null, { tier: "FREE" })).headers;
    const before = await t.metric("o2o_rate_limit_rejections_total", { tier: "FREE" });
    const throttledBefore = await t.metric("o2o_graphql_errors_total", { service: "gateway", code: "THROTTLED" });
    let throttled = 0;
    for (let i = 0; i < 20 && throttled < 2; i++) {
      const res = await t.query(`{ products(first: 40) { edges { node { sku } } } }`, {}, key);
      if (res.errors?.[0]?.extensions?.code === "THROTTLED") throttled++;
    }
    expect(throttled).toBe(2);
    expect(await t.metric("o2o_rate_limit_rejections_total", { tier: "FREE" })).toBe(before + 2);
    expect(await t.metric("o2o_graphql_errors_total", { service: "gateway", code: "THROTTLED" })).toBe(throttledBefore + 2);
  });

  it("observes event lag when a consumer handles an event", async () => {
    const item = product((p) => p.sku === "HAN-006");
    await setStock(t, "hoshi-ginza", item.id, 5);
    const before = await t.metric("o2o_event_lag_seconds_count");
    const slotId = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
    const placed = await t.query<CheckoutAnswer>(
      CHECKOUT,
      { input: { channel: "APP", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId }, idempotencyKey: randomUUID() } },
      t.as("aiko"),
    );
    expect(placed.data!.checkout.userErrors).toEqual([]);
    const order = placed.data!.checkout.order!;
    // payment.captured: the stores, members and logistics consumers each handle it.
    const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: randomUUID() } }, t.as("aiko"));
    expect(paid.data!.payOrder.userErrors).toEqual([]);
    await eventually(() => t.metric("o2o_event_lag_seconds_count"), (n) => n >= before + 3);
    for (const consumer of ["stores", "members", "logistics"]) expect(await t.metric("o2o_event_lag_seconds_count", { consumer }), consumer).toBeGreaterThanOrEqual(1);
    // The relay's view of the outbox: every payments event left it, so nothing unrelayed is older than a poll ago.
    const text = await (await fetch(at(t.url, "/metrics"))).text();
    expect(text).toMatch(/^o2o_outbox_oldest_unrelayed_seconds\{subgraph="payments"\} /m);
  });

  it("keeps the request metrics and the cache hits", async () => {
    const text = await (await fetch(at(t.url, "/metrics"))).text();
    for (const name of ["o2o_http_request_duration_seconds_count", "o2o_cache_lookups_total", "o2o_subgraph_fetches_total", "o2o_sql_statements_total"]) {
      expect(text, name).toContain(name);
    }
  });
});

describe("OpenTelemetry traces", () => {
  it("continues the caller's traceparent through the gateway into every subgraph it fetches from", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const res = await t.query(
      `{ ${fresh()}: product(sku: "HAN-001") { name ${fresh()}: availability(near: { lat: 35.6717, lng: 139.765 }, first: 2) { quantity store { name } } } }`,
      {},
      { traceparent: `00-${traceId}-${callerSpan}-01` },
    );
    expect(res.errors).toBeUndefined();
    const spans = await eventually(
      async () => (await flushTraces(), receiver.spans.filter((s) => s.traceId === traceId)),
      (found) => ["gateway", "products", "stores"].every((n) => found.some((s) => s.service === n && s.kind === SERVER)),
    );
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    // The gateway's server span is the caller's span's child.
    const gateway = spans.filter((s) => s.service === "gateway" && s.kind === SERVER);
    expect(gateway).toHaveLength(1);
    expect(gateway[0]!.parentSpanId).toBe(callerSpan);
    for (const name of ["products", "stores"] as SubgraphName[]) {
      const server = spans.filter((s) => s.service === name && s.kind === SERVER);
      expect(server.length, name).toBeGreaterThanOrEqual(1);
      for (const span of server) {
        // Each subgraph span's parent is one of the gateway's client spans for that subgraph…
        const client = byId.get(span.parentSpanId!);
        expect(client, `${name}'s parent`).toMatchObject({ service: "gateway", kind: CLIENT, name: `POST ${name}` });
        // …which descends from the gateway's server span (through @apollo/gateway's own plan/execute spans).
        expect(ancestors(client!, byId)).toContain(gateway[0]!.spanId);
      }
    }
  });
});

describe("JSON logs", () => {
  it("the gateway's request line and every subgraph's request lines carry the request id and the trace id", async () => {
    const requestId = `ops-${randomBytes(6).toString("hex")}`;
    const traceId = randomBytes(16).toString("hex");
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId, traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` },
      body: JSON.stringify({ query: `{ ${fresh()}: product(sku: "HAN-001") { name ${fresh()}: availability(near: { lat: 35.6717, lng: 139.765 }, first: 1) { quantity } } }` }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const lines = readFileSync(LOG_FILE, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.requestId === requestId);
    const gatewayLine = lines.filter((l) => l.msg === "request");
    expect(gatewayLine).toHaveLength(1);
    expect(gatewayLine[0]).toMatchObject({ traceId, level: 30 });
    const subgraphLines = lines.filter((l) => l.msg === "subgraph request");
    expect(new Set(subgraphLines.map((l) => l.subgraph))).toEqual(new Set(["products", "stores"]));
    expect(subgraphLines.every((l) => l.traceId === traceId)).toBe(true);
  });

  it("a request without an id gets one, logged and returned", async () => {
    const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ __typename }` }) });
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(LOG_FILE, "utf8")).toContain(`"requestId":"${requestId}"`);
  });
});

describe("graceful stop", () => {
  /** A gateway replica whose products fetches wait at a holding proxy, with one request already held there. */
  async function replicaWithHeldRequest() {
    const proxy = await holdingProxy(t.supergraph.subgraphs.products.url);
    const replica = await t.replica({ subgraphUrls: { ...t.supergraph.gatewayConfig.subgraphUrls, products: proxy.url } });
    const inFlight = fetch(replica.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ ${fresh()}: product(sku: "HAN-001") { name } }` }),
    });
    await eventually(async () => proxy.arrived, (n) => n === 1);
    return { proxy, replica, inFlight };
  }

  it("answers /ready 503 draining, refuses new connections, and still finishes the request in flight", async () => {
    const { proxy, replica, inFlight } = await replicaWithHeldRequest();
    // The load balancer's window: /ready already says draining while the listener still takes connections.
    process.env.O2O_SHUTDOWN_DELAY_MS = "1500";
    const stopping = replica.stop();
    delete process.env.O2O_SHUTDOWN_DELAY_MS;
    expect(await getJson(at(replica.url, "/ready"))).toMatchObject({ status: 503, body: { status: "draining" } });
    // Then no new connections, while the request in flight is still held at the subgraph.
    await eventually(
      () => fetch(at(replica.url, "/health")).then(() => "accepted", () => "refused"),
      (r) => r === "refused",
    );
    expect(proxy.arrived).toBe(1);
    proxy.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: Record<string, { name: string }>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data!)[0]!.name).toBe("Sakura Lip Tint");
    await stopping;
    await proxy.close();
  });

  it("cuts off what is still running when the grace period ends", async () => {
    const { proxy, replica, inFlight: request } = await replicaWithHeldRequest();
    const inFlight = request.then(
      () => "answered",
      () => "cut off",
    );
    process.env.O2O_SHUTDOWN_GRACE_MS = "200";
    try {
      const stopping = replica.stop();
      // Cut off although the subgraph never answered: the stop does not wait for it beyond the grace period.
      expect(await inFlight).toBe("cut off");
      proxy.release(); // (the gateway's own connection pool closes only once its fetch ends)
      await stopping;
    } finally {
      delete process.env.O2O_SHUTDOWN_GRACE_MS;
    }
    await proxy.close();
  });
});

describe("a subgraph that stops", () => {
  it("answers its own /ready 503 draining, then turns the gateway's /ready to 503 naming it, while /health stays 200", async () => {
    const logistics = t.supergraph.subgraphs.logistics;
    process.env.O2O_SHUTDOWN_DELAY_MS = "1500";
    const stopping = logistics.stop();
    delete process.env.O2O_SHUTDOWN_DELAY_MS;
    expect(await getJson(at(logistics.url, "/ready"))).toMatchObject({ status: 503, body: { status: "draining", service: "logistics" } });
    await stopping;
    const ready = await getJson(at(t.url, "/ready"));
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "unavailable", failing: ["logistics"], checks: { logistics: "unreachable", products: "ok" } });
    expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    expect((await getJson(at(t.url, "/health"))).status).toBe(200);
  });
});

// --- helpers ---------------------------------------------------------------------------------------------------

const SERVER = 2;
const CLIENT = 3;

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string };
type OtlpExport = {
  resourceSpans?: { scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: OtlpValue }[] }[] }[] }[];
};

/** A minimal OTLP/HTTP (JSON) traces receiver: what a collector would get. */
async function otlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport;
        for (const rs of body.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? []) {
              const service = s.attributes?.find((a) => a.key === "o2o.service")?.value.stringValue ?? "";
              spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, service });
            }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const url = await listenOn(server);
  return { url, spans, close: () => closed(server) };
}

/** Span ids from `span`'s parent up to the root, as far as they were received. */
function ancestors(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): string[] {
  const ids: string[] = [];
  for (let id = span.parentSpanId; id; id = byId.get(id)?.parentSpanId) ids.push(id);
  return ids;
}

/** An HTTP proxy in front of a subgraph that holds every answer until released: a request kept in flight. */
async function holdingProxy(target: string): Promise<{ url: string; arrived: number; release(): void; close(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const state = { arrived: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      state.arrived++;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length", "transfer-encoding"].includes(k))) as Record<string, string>;
      const answer = await fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) });
      const text = await answer.text();
      await released;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(text);
    });
  });
  const base = await listenOn(server);
  return {
    url: `${base}/graphql`,
    get arrived() {
      return state.arrived;
    },
    release,
    close: () => (server.closeAllConnections(), closed(server)),
  };
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
