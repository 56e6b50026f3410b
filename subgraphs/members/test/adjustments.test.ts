import { demoRetailerId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, count, sql, startMembers, type Harness } from "./support.ts";

// Customer-service corrections: API keys with loyalty:write only (partner keys: their club), one ADJUSTMENT entry per idempotency key.
let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(() => h?.stop());

const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) {
  entry { id points reason description balanceAfter source { id } } member { id pointsBalance lifetimePoints } userErrors { code field } } }`;
const STAFF = { keyId: "platform-key", scopes: ["loyalty:write"] };
const adjust = (input: Record<string, unknown>, caller: Record<string, unknown> = STAFF) => h.q(ADJUST, { input }, caller);
const member = async (id: string) => (await sql<{ b: number; l: number }>(h.target, `SELECT points_balance AS b, lifetime_points AS l FROM members.member WHERE id = $1`, [id]))[0]!;

describe("adjustPoints", () => {
  it("writes one entry for one key sent 20 times at once; every answer is identical", async () => {
    const before = await member(AIKO);
    const input = { memberId: AIKO, points: 500, note: "Sorry for the wait", idempotencyKey: "cs-ticket-77" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => adjust(input)));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(answers[0]!.data!.adjustPoints).toMatchObject({
      entry: { points: 500, reason: "ADJUSTMENT", description: "Sorry for the wait", balanceAfter: before.b + 500, source: null },
      member: { id: AIKO, pointsBalance: before.b + 500, lifetimePoints: before.l + 500 },
      userErrors: [],
    });
    expect(await count(h.target, `idempotency_key = 'adjust:cs-ticket-77'`)).toBe(1);
    // A retry later still gets the first answer.
    expect((await adjust(input)).data).toEqual(answers[0]!.data);
    expect(await member(AIKO)).toEqual({ b: before.b + 500, l: before.l + 500 });
  });

  it("takes points away, but never below zero (INSUFFICIENT_POINTS writes nothing)", async () => {
    const before = await member(WEI);
    const take = await adjust({ memberId: WEI, points: -100, note: "Duplicate bonus", idempotencyKey: "cs-take-1" });
    expect(take.data!.adjustPoints.entry).toMatchObject({ points: -100, balanceAfter: before.b - 100 });
    const entries = await count(h.target, "true");
    const over = await adjust({ memberId: WEI, points: -(before.b - 100 + 1), note: "Too much", idempotencyKey: "cs-take-2" });
    expect(over.data!.adjustPoints).toEqual({ entry: null, member: null, userErrors: [{ code: "INSUFFICIENT_POINTS", field: ["input", "points"] }] });
    expect(await count(h.target, "true")).toBe(entries);
    expect((await member(WEI)).b).toBe(before.b - 100);
  });

  it.each([
    ["zero points", { points: 0 }, "INVALID_POINTS"],
    ["more than 1,000,000", { points: 1_000_001 }, "INVALID_POINTS"],
    ["less than -1,000,000", { points: -1_000_001 }, "INVALID_POINTS"],
    ["an empty note", { note: "  " }, "NOTE_REQUIRED"],
    ["an unknown member", { memberId: UNKNOWN_ID }, "UNKNOWN_MEMBER"],
    ["a member id that is not a UUID", { memberId: "sofia" }, "UNKNOWN_MEMBER"],
    ["an empty idempotency key", { idempotencyKey: "" }, "INVALID_IDEMPOTENCY_KEY"],
  ])("refuses %s with a userError, writing nothing", async (_, change, code) => {
    const entries = await count(h.target, "true");
    const res = await adjust({ memberId: SOFIA, points: 10, note: "Goodwill", idempotencyKey: `bad-${code}-${Object.keys(change)[0]}-${String(Object.values(change)[0]).trim() || "blank"}`, ...change });
    expect(res.data!.adjustPoints.userErrors.map((e: { code: string }) => e.code)).toEqual([code]);
    expect(await count(h.target, "true")).toBe(entries);
  });

  it("is refused without a key holding loyalty:write: members, other keys, services (FORBIDDEN), anonymous (UNAUTHENTICATED)", async () => {
    const before = await member(SOFIA);
    const callers = [[{ memberId: SOFIA }, "FORBIDDEN"], [{ keyId: "k", scopes: ["orders:read", "members:pii"] }, "FORBIDDEN"], [{ service: "payments" }, "FORBIDDEN"], [{}, "UNAUTHENTICATED"]] as const;
    for (const [caller, code] of callers) {
      const res = await adjust({ memberId: SOFIA, points: 1_000, note: "Free points", idempotencyKey: `forbidden-${JSON.stringify(caller)}` }, caller);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data).toBeNull();
    }
    expect(await member(SOFIA)).toEqual(before);
  });

  it("a partner key adjusts its own club's members only; others are UNKNOWN_MEMBER and unchanged", async () => {
    const meridian = { keyId: "meridian-key", retailerId: demoRetailerId("meridian"), scopes: ["loyalty:write"] };
    const sofia = await member(SOFIA);
    const refused = await adjust({ memberId: SOFIA, points: 10, note: "Not ours", idempotencyKey: "meridian-sofia" }, meridian);
    expect(refused.data!.adjustPoints).toMatchObject({ userErrors: [{ code: "UNKNOWN_MEMBER" }] });
    expect(await member(SOFIA)).toEqual(sofia);
    const done = await adjust({ memberId: MINH, points: 10, note: "Club goodwill", idempotencyKey: "meridian-minh" }, meridian);
    expect(done.data!.adjustPoints.userErrors).toEqual([]);
  });

  it("refuses an idempotency key reused for a different adjustment", async () => {
    await adjust({ memberId: SOFIA, points: 5, note: "Once", idempotencyKey: "cs-reuse" });
    const res = await adjust({ memberId: SOFIA, points: 50, note: "Once", idempotencyKey: "cs-reuse" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(await count(h.target, `idempotency_key = 'adjust:cs-reuse'`)).toBe(1);
  });
});
