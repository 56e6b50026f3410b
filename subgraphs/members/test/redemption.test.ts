import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, count, sql, startMembers, type Harness } from "./support.ts";

// Points as a payment method: payments (and only payments) takes points for an order; once per key, never
// more than the balance, however many redemptions race.
let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(() => h?.stop());

const REDEEM = `mutation($m: ID!, $o: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, orderId: $o, points: $p, key: $k) { ok code message balanceAfter } }`;
const PAYMENTS = { service: "payments" };
const redeem = (m: string, o: string, p: number, k: string, caller: Record<string, unknown> = PAYMENTS) => h.q(REDEEM, { m, o, p, k }, caller);
const balance = async (id: string) => (await sql<{ b: number }>(h.target, `SELECT points_balance AS b FROM members.member WHERE id = $1`, [id]))[0]!.b;
const redemptions = (key: string) => count(h.target, `reason = 'REDEMPTION' AND idempotency_key = $1`, [key]);

describe("redeemPoints", () => {
  it("takes points once per key: replays, also concurrent, get the same answer", async () => {
    const start = await balance(AIKO);
    const order = randomUUID();
    const key = `redeem:${order}:k`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(AIKO, order, 700, key)));
    expect(answers[0]!.data!.redeemPoints).toEqual({ ok: true, code: null, message: null, balanceAfter: start - 700 });
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect((await redeem(AIKO, order, 700, key)).data).toEqual(answers[0]!.data);
    expect(await balance(AIKO)).toBe(start - 700);
    expect(await redemptions(key)).toBe(1);
    // The ledger shows it, sourced to nobody (O2O's own points), on the order.
    const res = await h.q(`{ me { pointsBalance pointsLedger(first: 1) { edges { node { reason points orderId source { id } } } } } }`, {}, { memberId: AIKO });
    expect(res.data!.me).toEqual({ pointsBalance: start - 700, pointsLedger: { edges: [{ node: { reason: "REDEMPTION", points: -700, orderId: order, source: null } }] } });
  });

  it("refuses more than the balance with INSUFFICIENT_POINTS and writes nothing", async () => {
    const start = await balance(WEI);
    const key = randomUUID();
    const res = await redeem(WEI, randomUUID(), start + 1, key);
    expect(res.data!.redeemPoints).toMatchObject({ ok: false, code: "INSUFFICIENT_POINTS", balanceAfter: null });
    expect(await balance(WEI)).toBe(start);
    expect(await redemptions(key)).toBe(0);
  });

  it("never overdraws under concurrent redemptions: of 10 asking for the whole balance, one wins", async () => {
    const start = await balance(MINH);
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(MINH, randomUUID(), start, randomUUID())));
    expect(answers.filter((a) => a.data!.redeemPoints.ok)).toHaveLength(1);
    expect(answers.filter((a) => a.data!.redeemPoints.code === "INSUFFICIENT_POINTS")).toHaveLength(9);
    expect(await balance(MINH)).toBe(0);
    // And 20 small ones against 10 points' worth: exactly 10 succeed.
    await sql(h.target, `UPDATE members.member SET points_balance = 10 WHERE id = $1`, [SOFIA]);
    const small = await Promise.all(Array.from({ length: 20 }, () => redeem(SOFIA, randomUUID(), 1, randomUUID())));
    expect(small.filter((a) => a.data!.redeemPoints.ok)).toHaveLength(10);
    expect(await balance(SOFIA)).toBe(0);
  });

  it("answers UNKNOWN_MEMBER, INVALID_POINTS and IDEMPOTENCY_KEY_REUSED without writing", async () => {
    const before = await count(h.target, "true");
    expect((await redeem(UNKNOWN_ID, randomUUID(), 1, randomUUID())).data!.redeemPoints.code).toBe("UNKNOWN_MEMBER");
    expect((await redeem("member-42", randomUUID(), 1, randomUUID())).data!.redeemPoints.code).toBe("UNKNOWN_MEMBER");
    for (const points of [0, -5, 10_000_001]) expect((await redeem(AIKO, randomUUID(), points, randomUUID())).data!.redeemPoints.code).toBe("INVALID_POINTS");
    const order = randomUUID();
    expect((await redeem(AIKO, order, 5, `reuse-${order}`)).data!.redeemPoints.ok).toBe(true);
    expect((await redeem(AIKO, order, 6, `reuse-${order}`)).data!.redeemPoints.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await redeem(WEI, order, 5, `reuse-${order}`)).data!.redeemPoints.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await count(h.target, "true")).toBe(before + 1);
  });

  it("is for payments only: FORBIDDEN to members, staff and other services", async () => {
    const start = await balance(AIKO);
    for (const caller of [{ memberId: AIKO }, { keyId: "k", scopes: ["loyalty:write"] }, { service: "logistics" }, {}]) {
      const res = await redeem(AIKO, randomUUID(), 1, randomUUID(), caller);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(res.data).toBeNull();
    }
    expect(await balance(AIKO)).toBe(start);
  });

  it("is not in the public API (@inaccessible)", async () => {
    const sdl = (await h.q(`{ _service { sdl } }`)).data!._service.sdl as string;
    expect(sdl).toMatch(/redeemPoints\([^)]*\): PointsRedemption!\s+@inaccessible/);
    expect(sdl).toMatch(/type PointsRedemption\s+@inaccessible/);
  });
});
