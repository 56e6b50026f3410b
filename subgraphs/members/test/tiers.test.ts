import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextTier, tierFor } from "../src/tiers.ts";
import { AIKO, MINH, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

describe("tier rule (pure)", () => {
  it.each([
    [0, "BASIC"],
    [4_999, "BASIC"],
    [5_000, "SILVER"],
    [19_999, "SILVER"],
    [20_000, "GOLD"],
    [49_999, "GOLD"],
    [50_000, "PLATINUM"],
    [1_000_000, "PLATINUM"],
  ])("%i lifetime points → %s", (points, tier) => {
    expect(tierFor(points)).toBe(tier);
  });

  it.each([
    [0, { tier: "SILVER", pointsToGo: 5_000 }],
    [4_999, { tier: "SILVER", pointsToGo: 1 }],
    [5_000, { tier: "GOLD", pointsToGo: 15_000 }],
    [24_000, { tier: "PLATINUM", pointsToGo: 26_000 }],
    [49_999, { tier: "PLATINUM", pointsToGo: 1 }],
    [50_000, null],
    [80_000, null],
  ])("next tier from %i lifetime points", (points, expected) => {
    expect(nextTier(points)).toEqual(expected);
  });
});

describe("tier of the seeded members", () => {
  let h: Harness;
  beforeAll(async () => void (h = await startMembers()));
  afterAll(async () => h?.stop());

  it("is derived from lifetime points, whatever the balance", async () => {
    const res = await h.q(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id tier lifetimePoints pointsBalance nextTier { tier pointsToGo } } } }`,
      { r: [AIKO, WEI, MINH, SOFIA].map((id) => ({ __typename: "Member", id })) },
    );
    expect(res.errors).toBeUndefined();
    const members = res.data!._entities as any[];
    expect(members.map((m) => m.tier)).toEqual(["GOLD", "SILVER", "BASIC", "PLATINUM"]);
    for (const m of members) {
      expect(m.tier).toBe(tierFor(m.lifetimePoints));
      expect(m.nextTier).toEqual(nextTier(m.lifetimePoints));
    }
    // Aiko has spent below the GOLD threshold but keeps GOLD: the tier follows lifetime points.
    expect(members[0].pointsBalance).toBeLessThan(20_000);
  });
});
