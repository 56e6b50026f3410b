import { demoMemberId, localWiring, postGraphQL, startSubgraph, withSqlTransaction, type Caller, type DatabaseTarget, type GraphQLResponse, type Subgraph, type Wiring } from "@o2o/runtime";
import { createTestDatabase, signedHeaders, startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { expect } from "vitest";
import type { MembersContext } from "../src/context.ts";
import { createMembersSubgraph } from "../src/server.ts";

export type Harness = TestSubgraph;

/** One members subgraph per test file (fresh database, seeded twice, port 0). */
export const startMembers = (): Promise<Harness> => startTestSubgraph(createMembersSubgraph);

/**
 * A members subgraph built here rather than by startTestSubgraph, so the test holds its event bus (to publish
 * payments' events) and its consumer (to stop and restart it).
 */
export interface Wired {
  wiring: Wiring;
  subgraph: Subgraph<MembersContext>;
  target: DatabaseTarget;
  q<D = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Partial<Caller>): Promise<GraphQLResponse<D>>;
  stop(): Promise<void>;
}

export async function startWired(): Promise<Wired> {
  const wiring = localWiring();
  const db = await createTestDatabase();
  const subgraph = createMembersSubgraph(db.target, wiring);
  await subgraph.migrate();
  await subgraph.seed();
  const running = await startSubgraph(subgraph, 0);
  return {
    wiring,
    subgraph,
    target: db.target,
    q: (query, variables = {}, caller = {}) => postGraphQL(running.url, query, variables, signedHeaders(caller)),
    stop: async () => {
      await running.stop();
      await subgraph.close();
      await wiring.bus.close();
      await db.drop();
    },
  };
}

/** Raw SQL on the test database, to check what was (not) written. */
export const sql = <R>(target: DatabaseTarget, text: string, params: unknown[] = []) => withSqlTransaction(target, (tx) => tx.query<R>(text, params));

export const count = async (target: DatabaseTarget, where: string, params: unknown[] = []) =>
  (await sql<{ n: number }>(target, `SELECT count(*)::int AS n FROM members.points_ledger_entry WHERE ${where}`, params))[0]!.n;

/** Polls until `check` holds (events are applied in the background), then asserts it. */
export async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const AIKO = demoMemberId("aiko");
export const WEI = demoMemberId("wei");
export const MINH = demoMemberId("minh");
export const SOFIA = demoMemberId("sofia");
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
