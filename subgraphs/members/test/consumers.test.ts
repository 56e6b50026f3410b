import { randomUUID } from "node:crypto";
import { demoRetailerId, envelope } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, WEI, count, pause, startWired, until, type Wired } from "./support.ts";

// Points follow payments' events: awarded on capture, reversed on refund, given back on a void — each applied
// once, whether the same envelope arrives twice or two different events name one order.
let w: Wired;
beforeAll(async () => void (w = await startWired()));
afterAll(() => w?.stop());

const HOSHI = demoRetailerId("hoshi");
const captured = (orderId: string, memberId: string, pointsEligibleAmount: number, extra: Record<string, unknown> = {}) =>
  envelope("payments", "payment.captured", { orderId, memberId, currency: "JPY", amount: pointsEligibleAmount, pointsEligibleAmount, pointsRedeemed: 0, retailerId: HOSHI, storeId: null, ...extra });
const refunded = (orderId: string, memberId: string, pointsRedeemed: number) => envelope("payments", "order.refunded", { orderId, memberId, pointsRedeemed });

const MEMBER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { pointsBalance lifetimePoints tier } } }`;
const member = async (id: string) => (await w.q(MEMBER, { r: [{ __typename: "Member", id }] })).data!._entities[0] as { pointsBalance: number; lifetimePoints: number; tier: string };
const entries = (orderIds: string[], reason: string) => count(w.target, `reason = $1::members."PointsReason" AND order_id = ANY($2::uuid[])`, [reason, orderIds]);
const redeem = (memberId: string, orderId: string, points: number, key: string) =>
  w.q(`mutation($m: ID!, $o: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, orderId: $o, points: $p, key: $k) { ok code } }`, { m: memberId, o: orderId, p: points, k: key }, { service: "payments" });

describe("payment.captured", () => {
  it("awards floor(pointsEligibleAmount / 100) once, sourced to the retailer; the tier follows lifetime points", async () => {
    const order = randomUUID();
    const before = await member(MINH);
    expect(before).toMatchObject({ lifetimePoints: 2800, tier: "BASIC" });
    const event = captured(order, MINH, 220_099);
    // The same envelope twice, and a second event for the same order: one award.
    await w.wiring.bus.publish([event, event, captured(order, MINH, 220_099)]);
    await until(async () => (await entries([order], "PURCHASE")) === 1);
    await pause(200);
    expect(await entries([order], "PURCHASE")).toBe(1);
    expect(await member(MINH)).toEqual({ pointsBalance: before.pointsBalance + 2200, lifetimePoints: 5000, tier: "SILVER" });
    const res = await w.q(`{ me { pointsLedger(first: 1) { edges { node { reason points balanceAfter orderId source { id } } } } } }`, {}, { memberId: MINH });
    expect(res.data!.me.pointsLedger.edges[0].node).toEqual({ reason: "PURCHASE", points: 2200, balanceAfter: before.pointsBalance + 2200, orderId: order, source: { id: HOSHI } });
  });

  it("awards nothing below 100 JPY, and skips a malformed payload without holding up the events behind it", async () => {
    const small = randomUUID();
    const after = randomUUID();
    await w.wiring.bus.publish([captured(small, WEI, 99), captured("not-a-uuid", WEI, 5000), captured(randomUUID(), WEI, 5000, { currency: "USD" }), captured(after, WEI, 100)]);
    await until(async () => (await entries([after], "PURCHASE")) === 1);
    expect(await entries([small], "PURCHASE")).toBe(0);
    expect(await count(w.target, `reason = 'PURCHASE' AND member_id = $1 AND idempotency_key LIKE 'award:%'`, [WEI])).toBe(1);
  });

  it("catches up on 50 captures published while the consumer was stopped, each awarded once", async () => {
    const consumer = w.subgraph.workers.consumer!;
    await consumer.stop();
    const orders = Array.from({ length: 50 }, () => randomUUID());
    const events = orders.map((o) => captured(o, SOFIA, 1000));
    await w.wiring.bus.publish(events);
    await pause(300);
    expect(await entries(orders, "PURCHASE")).toBe(0);
    consumer.start();
    await until(async () => (await entries(orders, "PURCHASE")) === 50, 20_000);
    await w.wiring.bus.publish(events);
    await pause(300);
    expect(await entries(orders, "PURCHASE")).toBe(50);
    const twice = await count(w.target, `reason = 'PURCHASE' AND order_id = ANY($1::uuid[]) AND order_id IN (SELECT order_id FROM members.points_ledger_entry WHERE reason = 'PURCHASE' GROUP BY order_id HAVING count(*) > 1)`, [orders]);
    expect(twice).toBe(0);
  });
});

describe("order.refunded", () => {
  it("reverses the points earned (lifetime too) and gives back the points spent, once", async () => {
    const order = randomUUID();
    const start = await member(AIKO);
    expect((await redeem(AIKO, order, 40, `pay-${order}`)).data!.redeemPoints.ok).toBe(true);
    await w.wiring.bus.publish([captured(order, AIKO, 12_345)]);
    await until(async () => (await entries([order], "PURCHASE")) === 1);
    expect(await member(AIKO)).toMatchObject({ pointsBalance: start.pointsBalance - 40 + 123, lifetimePoints: start.lifetimePoints + 123 });

    const refund = refunded(order, AIKO, 40);
    await w.wiring.bus.publish([refund, refund, refunded(order, AIKO, 40)]);
    await until(async () => (await entries([order], "REFUND_REVERSAL")) === 1 && (await entries([order], "REDEMPTION_REFUND")) === 1);
    await pause(200);
    expect(await entries([order], "REFUND_REVERSAL")).toBe(1);
    expect(await entries([order], "REDEMPTION_REFUND")).toBe(1);
    expect(await member(AIKO)).toMatchObject({ pointsBalance: start.pointsBalance, lifetimePoints: start.lifetimePoints });
  });

  it("takes back earned points already spent: the balance goes negative (points owed)", async () => {
    const order = randomUUID();
    const memberId = WEI;
    await w.wiring.bus.publish([captured(order, memberId, 1_000_000)]);
    await until(async () => (await entries([order], "PURCHASE")) === 1);
    const { pointsBalance } = await member(memberId);
    expect((await redeem(memberId, randomUUID(), pointsBalance, randomUUID())).data!.redeemPoints.ok).toBe(true);
    await w.wiring.bus.publish([refunded(order, memberId, 0)]);
    await until(async () => (await entries([order], "REFUND_REVERSAL")) === 1);
    expect((await member(memberId)).pointsBalance).toBe(-10_000);
    // Later events are still applied (the reversal did not get stuck on a constraint).
    const next = randomUUID();
    await w.wiring.bus.publish([captured(next, memberId, 20_000)]);
    await until(async () => (await entries([next], "PURCHASE")) === 1);
    expect((await member(memberId)).pointsBalance).toBe(-9_800);
  });

  it("never gives back more points than the order's redemptions took", async () => {
    const order = randomUUID();
    const before = (await member(SOFIA)).pointsBalance;
    await w.wiring.bus.publish([refunded(order, SOFIA, 5000)]);
    const marker = randomUUID();
    await w.wiring.bus.publish([captured(marker, SOFIA, 100)]);
    await until(async () => (await entries([marker], "PURCHASE")) === 1);
    expect(await entries([order], "REDEMPTION_REFUND")).toBe(0);
    expect((await member(SOFIA)).pointsBalance).toBe(before + 1);
  });
});

describe("payment.voided", () => {
  it("gives back the points taken under the redemption key once; a later refund of the order gives nothing more", async () => {
    const order = randomUUID();
    const key = `redeem:${order}:k1`;
    const before = (await member(AIKO)).pointsBalance;
    expect((await redeem(AIKO, order, 300, key)).data!.redeemPoints.ok).toBe(true);
    const voided = envelope("payments", "payment.voided", { orderId: order, memberId: AIKO, pointsRedeemed: 300, redemptionKey: key });
    await w.wiring.bus.publish([voided, voided, envelope("payments", "payment.voided", { orderId: order, memberId: AIKO, pointsRedeemed: 300, redemptionKey: key })]);
    await until(async () => (await entries([order], "REDEMPTION_REFUND")) === 1);
    expect((await member(AIKO)).pointsBalance).toBe(before);

    await w.wiring.bus.publish([refunded(order, AIKO, 300), envelope("payments", "payment.voided", { orderId: order, memberId: AIKO, pointsRedeemed: 300, redemptionKey: "never-used" })]);
    const marker = randomUUID();
    await w.wiring.bus.publish([captured(marker, AIKO, 100)]);
    await until(async () => (await entries([marker], "PURCHASE")) === 1);
    expect(await entries([order], "REDEMPTION_REFUND")).toBe(1);
    expect((await member(AIKO)).pointsBalance).toBe(before + 1);
  });
});

describe("order.line_refunded", () => {
  const lineRefunded = (orderId: string, memberId: string, lineId: string, remainingAmount: number) =>
    envelope("payments", "order.line_refunded", { orderId, memberId, lineId, amount: 0, currency: "JPY", remainingAmount });
  type Node = { orderId: string; reason: string; points: number };
  /** What the order earned net of reversals, from Sofia's ledger as she sees it. */
  const net = async (orderId: string) => {
    const edges: { node: Node }[] = (await w.q(`{ me { pointsLedger(first: 50) { edges { node { orderId reason points } } } } }`, {}, { memberId: SOFIA })).data!.me.pointsLedger.edges;
    return edges.filter((e) => e.node.orderId === orderId && ["PURCHASE", "REFUND_REVERSAL"].includes(e.node.reason)).reduce((sum, e) => sum + e.node.points, 0);
  };

  it("keeps the points of what the order still holds, in any order of disputes, and a full refund takes the rest once", async () => {
    const order = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    await w.wiring.bus.publish([captured(order, SOFIA, 4_290)]);
    await until(async () => (await entries([order], "PURCHASE")) === 1);
    expect(await net(order)).toBe(42);
    // Line b's event (the later dispute: less left) arrives first; a's (more left) then takes nothing more; replays change nothing.
    const later = lineRefunded(order, SOFIA, b, 2_150);
    await w.wiring.bus.publish([later, lineRefunded(order, SOFIA, a, 3_210), later]);
    await until(async () => (await entries([order], "REFUND_REVERSAL")) === 1);
    await pause(200);
    expect(await net(order)).toBe(21);
    await w.wiring.bus.publish([refunded(order, SOFIA, 0)]);
    await until(async () => (await entries([order], "REFUND_REVERSAL")) === 2);
    expect(await net(order)).toBe(0);
  });
});
