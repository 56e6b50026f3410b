import { demoRetailerId, withSqlTransaction } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

// Merged loyalty: linking a partner club card moves its balance into the one O2O balance, with its source;
// customer-service adjustments are idempotent.
let h: Harness;
beforeAll(async () => {
  h = await startMembers();
});
afterAll(() => h?.stop());

const LINK = `mutation($input: LinkPartnerMembershipInput!) { linkPartnerMembership(input: $input) {
  membership { clubName memberNumber retailer { id } } member { pointsBalance pointsLedger(first: 1) { edges { node { reason points source { id } } } } } userErrors { code } } }`;
const meridian = demoRetailerId("meridian");
const sql = <R>(text: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(text, p));
const footprint = async () => ({
  memberships: (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM members.partner_membership`))[0]!.n,
  entries: (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM members.points_ledger_entry`))[0]!.n,
});

describe("linking a partner club card", () => {
  it("merges the card's balance with the retailer as source", async () => {
    const before = (await h.q(`{ me { pointsBalance } }`, {}, { memberId: WEI })).data!.me.pointsBalance;
    const res = await h.q(LINK, { input: { retailerId: meridian, memberNumber: "MC-2026-5001", pin: "5001" } }, { memberId: WEI });
    expect(res.data!.linkPartnerMembership).toMatchObject({
      membership: { clubName: "Meridian Club", retailer: { id: meridian } },
      member: { pointsBalance: before + 2400, pointsLedger: { edges: [{ node: { reason: "PARTNER_TRANSFER", points: 2400, source: { id: meridian } } }] } },
      userErrors: [],
    });
  });

  it("refuses wrong cards, cards already merged and second cards of a club, writing nothing", async () => {
    const cases: [string, Record<string, string>, string][] = [
      [SOFIA, { memberNumber: "MC-2026-5002", pin: "0000" }, "CLUB_CARD_NOT_FOUND"],
      [SOFIA, { memberNumber: "MC-2026-9999", pin: "5002" }, "CLUB_CARD_NOT_FOUND"],
      [SOFIA, { memberNumber: "MC-2026-5001", pin: "5001" }, "ALREADY_LINKED"],
      [MINH, { memberNumber: "MC-2026-5002", pin: "5002" }, "ALREADY_MEMBER_OF_CLUB"],
    ];
    for (const [memberId, input, code] of cases) {
      const before = await footprint();
      const res = await h.q(LINK, { input: { retailerId: meridian, ...input } }, { memberId });
      expect(res.data!.linkPartnerMembership.userErrors).toEqual([{ code }]);
      expect(await footprint()).toEqual(before);
    }
  });
});

describe("adjustPoints", () => {
  const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { entry { id points reason } member { pointsBalance } userErrors { code } } }`;
  it("writes one entry for one key sent 20 times at once; identical answers", async () => {
    const input = { memberId: AIKO, points: 500, note: "Sorry for the wait", idempotencyKey: "cs-ticket-77" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.q(ADJUST, { input }, { scopes: ["loyalty:adjust"] })));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect(answers[0]!.data!.adjustPoints.entry).toMatchObject({ points: 500, reason: "ADJUSTMENT" });
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM members.points_ledger_entry WHERE idempotency_key = 'adjust:cs-ticket-77'`))[0]!.n).toBe(1);
  });

  it("needs the loyalty:adjust scope and refuses overdrawing", async () => {
    expect((await h.q(ADJUST, { input: { memberId: AIKO, points: 1, note: "x", idempotencyKey: "k1" } }, { memberId: AIKO })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const res = await h.q(ADJUST, { input: { memberId: SOFIA, points: -100_000_000 + 1, note: "x", idempotencyKey: "k2" } }, { scopes: ["loyalty:adjust"] });
    expect(res.data!.adjustPoints.userErrors).toEqual([{ code: "INVALID_POINTS" }]);
    const over = await h.q(ADJUST, { input: { memberId: SOFIA, points: -999_999, note: "x", idempotencyKey: "k3" } }, { scopes: ["loyalty:adjust"] });
    expect(over.data!.adjustPoints.userErrors).toEqual([{ code: "INSUFFICIENT_POINTS" }]);
  });
});
