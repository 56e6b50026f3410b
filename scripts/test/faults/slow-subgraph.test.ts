import { createServer, request as httpRequest, Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateDeployment, type PrivateDeployment } from "../../src/deployment/private-services.ts";
import { FAULT_GATEWAY_ENV, LEAKED, post, PRODUCT_ONLY, PRODUCT_PAGE, tomorrowInTokyo, until, type Answer } from "./load.ts";

/**
 * Fault: a subgraph that stops answering (alive, accepting connections, silent: a stuck event loop, a lock wait). A
 * proxy in front of the stores subgraph passes requests through or holds them, and counts the requests the gateway
 * has open toward it. The gateway must give up on stores after STORES_TIMEOUT_MS, answer with the other subgraphs'
 * data and a TIMEOUT error naming stores, close what it had open (no pile-up), refuse at once beyond its bound of
 * waiting fetches, keep serving what does not touch stores, and serve whole answers again once stores answers.
 */
const TIMEOUT_MS = 2_000;
const MAX_PENDING = 40;

/** An HTTP proxy to one subgraph that can hold every request (never answer) and counts what is open through it. */
interface HoldingProxy {
  url: string;
  target: string;
  holding: boolean;
  /** Requests received and not yet answered or abandoned by the client. */
  open: number;
  /** Most requests open at once since the last reset. */
  peak: number;
  received: number;
  close(): Promise<void>;
}

async function startHoldingProxy(): Promise<HoldingProxy> {
  // A new upstream connection per request: a kept-alive one can be closed by the subgraph's own idle timeout (5 s) just
  // as the proxy reuses it, and that reset (the test proxy's, not the gateway's) would show up as a broken answer.
  const agent = new Agent({ keepAlive: false });
  let server: Server;
  const proxy: HoldingProxy = {
    url: "",
    target: "",
    holding: false,
    open: 0,
    peak: 0,
    received: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
  server = createServer((req, res) => {
    proxy.open++;
    proxy.received++;
    proxy.peak = Math.max(proxy.peak, proxy.open);
    // "close" comes once the answer is sent or the client went away, whichever first: the count cannot leak.
    res.once("close", () => proxy.open--);
    if (proxy.holding) return;
    const target = new URL(req.url ?? "/", proxy.target);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return proxy;
}

let proxy: HoldingProxy;
let d: PrivateDeployment;
beforeAll(async () => {
  proxy = await startHoldingProxy();
  d = await startPrivateDeployment({
    routeOverride: { stores: proxy.url },
    envFor: { gateway: { ...FAULT_GATEWAY_ENV, STORES_TIMEOUT_MS: String(TIMEOUT_MS), STORES_MAX_PENDING: String(MAX_PENDING) } },
  });
  proxy.target = d.subgraphs.stores[0]!.base;
}, 180_000);
afterAll(async () => {
  await d?.stop();
  await proxy?.close();
});

const date = tomorrowInTokyo();
const page = () => post(d.gatewayUrl, PRODUCT_PAGE, { d: date });
const productOnly = () => post(d.gatewayUrl, PRODUCT_ONLY);

function isWhole(a: Answer): boolean {
  const product = a.data?.product as { name?: string; availability?: unknown[] } | undefined;
  return a.status === 200 && a.errors.length === 0 && product?.name === "Sakura Lip Tint" && (product.availability?.length ?? 0) > 0;
}

/** The page without stores' part (and so without logistics', reached through stores), and exactly one error saying so. */
function reasonOf(a: Answer): string | null {
  const product = a.data?.product as { name?: string; availability?: unknown } | undefined;
  if (a.status !== 200 || product?.name !== "Sakura Lip Tint" || product.availability !== null || LEAKED.test(a.text) || a.errors.length !== 1) return null;
  const { code, serviceName, reason } = a.errors[0]!.extensions ?? {};
  return code === "SERVICE_UNAVAILABLE" && serviceName === "stores" ? String(reason) : null;
}

describe("a slow subgraph", () => {
  it("times out per subgraph, closes what it had open, and keeps serving the rest", async () => {
    // Passing through: whole answers.
    const warm = await Promise.all(Array.from({ length: 10 }, page));
    expect(warm.filter(isWhole).length).toBe(10);

    proxy.holding = true;
    proxy.peak = 0;
    const receivedBefore = proxy.received;
    const burst = Array.from({ length: 30 }, page);
    let burstAnswered = 0;
    for (const answer of burst) void answer.then(() => burstAnswered++);
    // Every request of the burst has reached the stores fetch (products answered, stores is the wait).
    expect(await until(() => proxy.received - receivedBefore === 30, 10_000)).toBe(true);
    // Meanwhile what does not touch stores is served, not queued behind the held fetches: all of it is back while
    // some of the burst is still held.
    const aside = await Promise.all([...Array.from({ length: 20 }, productOnly), fetch(`${d.gateways[0]!.base}/health`)]);
    expect(burstAnswered).toBeLessThan(30);
    expect((aside.pop() as Response).status).toBe(200);
    expect((aside as Answer[]).filter((a) => a.status === 200 && a.errors.length === 0 && (a.data?.product as { name: string }).name === "Sakura Lip Tint").length).toBe(20);

    const answers = await Promise.all(burst);
    expect(answers.map(reasonOf)).toEqual(Array(30).fill("TIMEOUT"));
    expect(answers[0]!.errors[0]!.message).toBe(`The stores service did not answer within ${TIMEOUT_MS} ms; data it provides is missing from this response.`);
    // No pile-up: the proxy never answered these; only the gateway closing what it gave up on ends them.
    expect(await until(() => proxy.open === 0, 5_000)).toBe(true);
    // One stores fetch per request, none retried.
    expect(proxy.received - receivedBefore).toBe(30);
    expect(proxy.peak).toBeLessThanOrEqual(30);
  });

  it("refuses at once beyond its bound of waiting fetches instead of queueing them", async () => {
    proxy.holding = true;
    proxy.peak = 0;
    const answers = await Promise.all(Array.from({ length: MAX_PENDING + 30 }, page));
    const reasons = answers.map(reasonOf);
    expect(reasons.filter((r) => r !== "TIMEOUT" && r !== "OVERLOADED")).toEqual([]);
    // At most MAX_PENDING fetches ever reached (or waited for) stores; the rest were refused, not queued.
    expect(proxy.peak).toBeLessThanOrEqual(MAX_PENDING);
    expect(reasons.filter((r) => r === "TIMEOUT").length).toBeLessThanOrEqual(MAX_PENDING);
    expect(reasons.filter((r) => r === "OVERLOADED").length).toBeGreaterThanOrEqual(30);
    expect(await until(() => proxy.open === 0, 5_000)).toBe(true);
  });

  it("serves whole answers again once the subgraph answers, without a restart", async () => {
    proxy.holding = false;
    const answers = await Promise.all(Array.from({ length: 30 }, page));
    expect(answers.filter(isWhole).length).toBe(30);
    expect(d.gateways[0]!.running()).toBe(true);
    expect(await until(() => proxy.open === 0, 5_000)).toBe(true);
  });
});
