import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import { DEMO_MEMBERS, DEMO_PRODUCTS, DEMO_RETAILERS, DEMO_STORES, demoMemberId, demoProductId, demoRetailerId, demoStoreId } from "@o2o/runtime";
import type { TestSupergraph } from "../support.ts";
import { checkAnswer, type Verdict } from "./check.ts";
import { httpRequest, regressions, send } from "./http.ts";
import { aliasFlood, deepQuery, hugeString, schemaMutation, schemaQuery, syntaxGarbage, unknownThings, type Gen } from "./operations.ts";
import { rng } from "./random.ts";
import { CALLERS, type CallerName, type FuzzRequest } from "./request.ts";

/** The public schema as the gateway introspects it (what a client sees, @inaccessible parts gone). */
export async function publicSchema(t: TestSupergraph) {
  const res = await t.query<IntrospectionQuery>(getIntrospectionQuery());
  if (!res.data) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
  return buildClientSchema(res.data);
}

/** Every request of a run, made from the seed alone: `count` of them, in a fixed mix. */
export function generate(seed: number, count: number, schema: Gen["schema"], limits: { maxDepth: number; maxAliases: number }): FuzzRequest[] {
  const g: Gen = {
    rng: rng(seed),
    schema,
    ...limits,
    ids: {
      product: DEMO_PRODUCTS.map((p) => demoProductId(p.sku)),
      store: DEMO_STORES.map((s) => demoStoreId(s.key)),
      member: DEMO_MEMBERS.map((m) => demoMemberId(m.key)),
      retailer: DEMO_RETAILERS.map((r) => demoRetailerId(r.key)),
    },
  };
  const requests: FuzzRequest[] = regressions().slice(0, count);
  let mutations = 0;
  while (requests.length < count) {
    const caller = g.rng.pick(CALLERS);
    const roll = g.rng.next();
    if (roll < 0.3) requests.push(schemaQuery(g, caller));
    else if (roll < 0.6) requests.push(schemaMutation(g, mutations++));
    else if (roll < 0.65) requests.push(deepQuery(g, caller));
    else if (roll < 0.69) requests.push(aliasFlood(g, caller));
    else if (roll < 0.75) requests.push(unknownThings(g, caller));
    else if (roll < 0.82) requests.push(syntaxGarbage(g, caller));
    else if (roll < 0.835) requests.push(hugeString(g, caller));
    else requests.push(httpRequest(g.rng, caller));
  }
  return requests;
}

export interface Outcome {
  request: FuzzRequest;
  verdict: Verdict;
  status: number | null;
  /** How long the answer took (ms). */
  ms: number;
}

/** Sends every request, `concurrency` at a time, each with its caller's credential; returns each verdict in order. */
export async function run(base: string, requests: FuzzRequest[], auth: Record<CallerName, Record<string, string>>, concurrency = 8): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const request = requests[i]!;
      const started = performance.now();
      const answer = await send(base, request, auth[request.caller]);
      outcomes[i] = { request, verdict: checkAnswer(request, answer), status: "status" in answer ? answer.status : null, ms: performance.now() - started };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** How often each value occurs, most frequent first. */
export function tally(values: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
