/**
 * What the fault tests share: one raw POST that never throws (a fault test must see every answer, including the ones
 * a dying process gives), a steady load of concurrent clients, and the checks every degraded answer must pass.
 */
export interface GraphQLErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface Answer {
  /** HTTP status; 0 when no HTTP answer came at all (connection refused or reset). */
  status: number;
  /** The raw body (or the client's error message when status is 0): checked for leaked internals. */
  text: string;
  data: Record<string, any> | null;
  errors: GraphQLErrorBody[];
  extensions: Record<string, unknown>;
}

/** POST one operation (as a member or with a key through `headers`); never throws, at most 20 s. */
export async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    let body: { data?: Record<string, any> | null; errors?: GraphQLErrorBody[]; extensions?: Record<string, unknown> } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // not JSON: kept as text, the test's checks fail on it
    }
    return { status: res.status, text, data: body.data ?? null, errors: body.errors ?? [], extensions: body.extensions ?? {} };
  } catch (err) {
    return { status: 0, text: String(err), data: null, errors: [], extensions: {} };
  }
}

/** `clients` loops, each sending `send()` again as soon as its previous answer came back, until stopped. */
export function steadyLoad(clients: number, send: () => Promise<void>): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) await send();
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Polls `check` every 50 ms until it holds; false if it never did within `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** Internals a client must never see: connection error names, addresses, stack frames. */
export const LEAKED = /ECONN|EPIPE|ETIMEDOUT|UND_ERR|AbortError|127\.0\.0\.1|localhost:\d|stacktrace|\n\s+at |\bat .*:\d+:\d+\)/;

/** The product page across three subgraphs: name (products), availability + store name (stores), pickup slots (logistics). */
export const PRODUCT_PAGE = `query ProductPage($d: Date!) {
  product(sku: "HAN-001") { name availability(near: { lat: 35.6717, lng: 139.765 }, first: 2) { quantity store { name pickupSlots(date: $d) { id } } } }
}`;

/** Touches the products subgraph only. */
export const PRODUCT_ONLY = `{ product(sku: "HAN-001") { name price { amount currency } } }`;

export { tomorrowInTokyo } from "../support.ts";

/** The environment every fault test's gateway gets: see the comment at each use. */
export const FAULT_GATEWAY_ENV = {
  // The shared read cache would answer the faulty subgraph's part from Redis for up to a minute (that is its job); these
  // tests are about the fetch path, so every request must reach the subgraphs.
  GATEWAY_CACHE: "off",
  // A steady load from one address would soon be THROTTLED at the anonymous STANDARD tier: still metered, never refused.
  GATEWAY_ANONYMOUS_TIER: "INTERNAL",
};
