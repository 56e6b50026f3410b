import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@o2o/runtime/testing";
import { demoRetailerId, envelope, localWiring, startSubgraph, withSqlTransaction, type RunningSubgraph, type Subgraph } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MembersContext } from "../src/context.ts";
import { createMembersSubgraph } from "../src/server.ts";
import { AIKO, MINH, SOFIA, WEI } from "./support.ts";
import { postGraphQL } from "@o2o/runtime";
import { signedHeaders } from "@o2o/runtime/testing";

// Points that follow money: awarded on capture, reversed on refund, redeemed as a payment method — each once,
// even when events arrive twice or while the consumer was down.
const wiring = localWiring();
let db: TestDatabase;
let subgraph: Subgraph<MembersContext>;
let running: RunningSubgraph;
beforeAll(async () => {
  db = await createTestDatabase();
  subgraph = createMembersSubgraph(db.target, wiring);
  await subgraph.migrate();
  await subgraph.seed();
  running = await startSubgraph(subgraph, 0);
});
afterAll(async () => {
  await running?.stop();
  await subgraph?.close();
  await db?.drop();
});

const q = (query: string, variables: Record<string, unknown> = {}, caller: Record<string, unknown> = {}) => postGraphQL(running.url, query, variables, signedHeaders(caller));
const sql = <R>(text: string, p: unknown[] = []) => withSqlTransaction(db.target, (tx) => tx.query<R>(text, p));
const balance = async (id: string) => (await sql<{ points_balance: number; lifetime_points: number }>(`SELECT points_balance, lifetime_points FROM members.member WHERE id = $1`, [id]))[0]!;
const entries = async (orderIds: string[], reason: string) =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM members.points_ledger_entry WHERE reason = $1::members."PointsReason" AND order_id = ANY($2::uuid[])`, [reason, orderIds]))[0]!.n;
async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}
const captured = (orderId: string, memberId: string, amount: number) =>
  envelope("payments", "payment.captured", { orderId, memberId, currency: "JPY", amount, pointsEligibleAmount: amount, pointsRedeemed: 0, retailerId: demoRetailerId("hoshi"), storeId: null });

describe("points follow payments", () => {
  it("awards 1 point per 100 JPY on capture, once, with the store's retailer as source; a refund reverses it", async () => {
    const order = randomUUID();
    const before = await balance(WEI);
    const event = captured(order, WEI, 12_345);
    await wiring.bus.publish([event, event, captured(order, WEI, 12_345)]);
    await until(async () => (await entries([order], "PURCHASE")) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await entries([order], "PURCHASE")).toBe(1);
    expect(await balance(WEI)).toEqual({ points_balance: before.points_balance + 123, lifetime_points: before.lifetime_points + 123 });
    const res = await q(`{ me { pointsLedger(first: 1) { edges { node { reason points orderId source { id } } } } } }`, {}, { memberId: WEI });
    expect(res.data!.me.pointsLedger.edges[0].node).toEqual({ reason: "PURCHASE", points: 123, orderId: order, source: { id: demoRetailerId("hoshi") } });

    await wiring.bus.publish([envelope("payments", "order.refunded", { orderId: order, memberId: WEI, pointsRedeemed: 40 })]);
    await until(async () => (await entries([order], "REFUND_REVERSAL")) === 1 && (await entries([order], "REDEMPTION_REFUND")) === 1);
    expect(await balance(WEI)).toEqual({ points_balance: before.points_balance + 40, lifetime_points: before.lifetime_points });
  });

  it("a consumer that was down catches up on 50 captures, none twice", async () => {
    await subgraph.workers.consumer!.stop();
    const orders = Array.from({ length: 50 }, () => randomUUID());
    await wiring.bus.publish(orders.map((o) => captured(o, SOFIA, 1000)));
    await new Promise((r) => setTimeout(r, 200));
    expect(await entries(orders, "PURCHASE")).toBe(0);
    subgraph.workers.consumer!.start();
    await until(async () => (await entries(orders, "PURCHASE")) === 50);
    await wiring.bus.publish(orders.map((o) => captured(o, SOFIA, 1000)));
    await new Promise((r) => setTimeout(r, 300));
    expect(await entries(orders, "PURCHASE")).toBe(50);
  });
});

const REDEEM = `mutation($m: ID!, $o: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, orderId: $o, points: $p, key: $k) { ok code balanceAfter } }`;
const PAYMENTS = { service: "payments" };

describe("redeemPoints", () => {
  it("takes points once per key, never below zero under concurrent redemptions", async () => {
    const start = (await balance(MINH)).points_balance;
    const order = randomUUID();
    const twice = await Promise.all([1, 2].map(() => q(REDEEM, { m: MINH, o: order, p: 100, k: `r-${order}` }, PAYMENTS)));
    expect(twice[0]!.data).toEqual(twice[1]!.data);
    expect((await balance(MINH)).points_balance).toBe(start - 100);
    // Many redemptions of the whole rest at once: exactly one gets it.
    const rest = start - 100;
    const answers = await Promise.all(Array.from({ length: 10 }, () => q(REDEEM, { m: MINH, o: randomUUID(), p: rest, k: randomUUID() }, PAYMENTS)));
    expect(answers.filter((a) => a.data!.redeemPoints.ok)).toHaveLength(1);
    expect(answers.filter((a) => a.data!.redeemPoints.code === "INSUFFICIENT_POINTS")).toHaveLength(9);
    expect((await balance(MINH)).points_balance).toBe(0);
  });

  it("a voided payment gives its points back once; only payments may redeem", async () => {
    const order = randomUUID();
    const before = (await balance(AIKO)).points_balance;
    await q(REDEEM, { m: AIKO, o: order, p: 300, k: `void-${order}` }, PAYMENTS);
    const voided = envelope("payments", "payment.voided", { orderId: order, memberId: AIKO, pointsRedeemed: 300, redemptionKey: `void-${order}` });
    await wiring.bus.publish([voided, voided]);
    await until(async () => (await entries([order], "REDEMPTION_REFUND")) === 1);
    expect((await balance(AIKO)).points_balance).toBe(before);
    expect((await q(REDEEM, { m: AIKO, o: order, p: 1, k: randomUUID() }, { memberId: AIKO })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
