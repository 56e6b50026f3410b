import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders } from "node:http";
import { CALLER_HEADER, signCaller, SUBGRAPH_NAMES, type Caller, type SubgraphName } from "@o2o/runtime";
import { percentile } from "./load.ts";

/**
 * A gateway's own overhead: its latency minus the critical path of the subgraph fetches it makes for the request.
 * 1. record: a second instance of the gateway is pointed at a recording HTTP proxy (this module) in front of the
 *    subgraphs; one request of the operation (after a warm-up one) gives its fetches: subgraph, body, headers, times.
 * 2. stages: fetches that overlapped in time ran in parallel; the stages ran one after the other.
 * 3. at one connection, turn about, the gateway's p50 latency (the real instance, no proxy) and the p50 of the critical
 *    path: the recorded fetches replayed straight at the subgraphs stage by stage, the sum of each stage's slowest fetch.
 * Both are timed by the same client (fetch, keep-alive), so each includes one client's HTTP hop.
 */
export interface RecordedFetch {
  subgraph: SubgraphName;
  /** ms since the proxy started. */
  start: number;
  end: number;
  headers: Record<string, string>;
  body: string;
}

export interface RecordingProxy {
  /** <NAME>_URL for each subgraph, pointing at the proxy. */
  urls: Record<SubgraphName, string>;
  /** Runs `request` and returns the fetches the gateway made while it ran. */
  record(request: () => Promise<unknown>): Promise<RecordedFetch[]>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "keep-alive", "transfer-encoding"]);

export async function startRecordingProxy(targets: Record<SubgraphName, string>): Promise<RecordingProxy> {
  const agent = new Agent({ keepAlive: true });
  let recording: RecordedFetch[] | null = null;
  const server = createServer((req, res) => {
    const subgraph = SUBGRAPH_NAMES.find((name) => req.url === `/${name}/graphql`);
    if (!subgraph) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const start = performance.now();
      const body = Buffer.concat(chunks);
      const headers = forwardable(req.headers);
      const upstream = httpRequest(targets[subgraph], { method: "POST", agent, headers: { ...headers, "content-length": body.length } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        answer.pipe(res);
        answer.on("end", () => recording?.push({ subgraph, start, end: performance.now(), headers, body: body.toString("utf8") }));
      });
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    urls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${port}/${name}/graphql`])) as Record<SubgraphName, string>,
    record: async (request) => {
      recording = [];
      try {
        await request();
        return recording;
      } finally {
        recording = null;
      }
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

/** Fetches grouped into stages: a fetch that starts before every fetch of the current stage has ended joins it. */
export function stagesOf(fetches: readonly RecordedFetch[]): RecordedFetch[][] {
  const stages: RecordedFetch[][] = [];
  let stageEnd = -Infinity;
  for (const fetch of [...fetches].sort((a, b) => a.start - b.start)) {
    const current = stages[stages.length - 1];
    if (current && fetch.start < stageEnd) {
      current.push(fetch);
      stageEnd = Math.max(stageEnd, fetch.end);
    } else {
      stages.push([fetch]);
      stageEnd = fetch.end;
    }
  }
  return stages;
}

/** The recorded caller header signed anew (it is valid 5 minutes; a replay may run later than that). */
function resigned(headers: Record<string, string>): Record<string, string> {
  const header = headers[CALLER_HEADER];
  if (!header) return headers;
  const { iat: _iat, ...caller } = JSON.parse(Buffer.from(header.split(".")[0]!, "base64url").toString("utf8")) as Caller & { iat: number };
  return { ...headers, [CALLER_HEADER]: signCaller(caller) };
}

async function timed(url: string, init: RequestInit): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

/**
 * p50 of each of two sequential measurements, taken turn about for `seconds` (at least 30 pairs), so that both see the
 * same background load on a shared machine (two windows one after the other drift apart).
 */
async function interleavedP50(seconds: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number, number]> {
  for (let i = 0; i < 10; i++) await a(), await b(); // warm the connections and the JIT
  const as: number[] = [];
  const bs: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (as.length < 30 || performance.now() < until) {
    as.push(await a());
    bs.push(await b());
  }
  return [percentile(as.sort((x, y) => x - y), 50), percentile(bs.sort((x, y) => x - y), 50)];
}

export interface OverheadResult {
  gatewayP50: number;
  criticalPathP50: number;
  overheadP50: number;
  fetches: number;
  stages: number;
  /** e.g. "products+members → stores → logistics": what the gateway fetched, stage by stage. */
  shape: string;
  /** Each fetch's stage, subgraph and GraphQL text (shortened): what the gateways ask the subgraphs, side by side. */
  detail: { stage: number; subgraph: SubgraphName; query: string }[];
}

/** One connection: the gateway's latency p50 and the critical path p50 of its recorded fetches. */
export async function measureOverhead(
  gateway: { url: string; body: string; headers: () => Record<string, string> },
  fetches: readonly RecordedFetch[],
  targets: Record<SubgraphName, string>,
  seconds: number,
): Promise<OverheadResult> {
  const stages = stagesOf(fetches);
  const sign = () => stages.map((stage) => stage.map((f) => ({ url: targets[f.subgraph], headers: resigned(f.headers), body: f.body })));
  let signed = sign();
  let signedAt = Date.now();
  const criticalPath = async () => {
    if (Date.now() - signedAt > 60_000) (signed = sign()), (signedAt = Date.now());
    let total = 0;
    for (const stage of signed) total += Math.max(...(await Promise.all(stage.map((f) => timed(f.url, { method: "POST", headers: f.headers, body: f.body })))));
    return total;
  };
  const [gatewayP50, criticalPathP50] = await interleavedP50(seconds, () => timed(gateway.url, { method: "POST", headers: gateway.headers(), body: gateway.body }), criticalPath);
  const shape = stages.map((stage) => countBy(stage.map((f) => f.subgraph))).join(" → ") || "(no subgraph fetch)";
  const detail = stages.flatMap((stage, i) => stage.map((f) => ({ stage: i + 1, subgraph: f.subgraph, query: queryText(f.body) })));
  return { gatewayP50, criticalPathP50, overheadP50: gatewayP50 - criticalPathP50, fetches: fetches.length, stages: stages.length, shape, detail };
}

function queryText(body: string): string {
  let query: string;
  try {
    query = String((JSON.parse(body) as { query?: unknown }).query ?? body);
  } catch {
    query = body;
  }
  const flat = query.replace(/\s+/g, " ").trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}

function countBy(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name)).join("+");
}
