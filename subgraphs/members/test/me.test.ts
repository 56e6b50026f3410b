import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

const ME = `{ me { id displayName tier pointsBalance lifetimePoints nextTier { tier pointsToGo } memberSince } }`;

describe("me", () => {
  it("is the signed-in member", async () => {
    const res = await h.q(ME, {}, { memberId: AIKO });
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toEqual({
      id: AIKO,
      displayName: "Aiko Tanaka",
      tier: "GOLD",
      pointsBalance: 12400,
      lifetimePoints: 24000,
      nextTier: { tier: "PLATINUM", pointsToGo: 26000 },
      memberSince: "2026-01-06T01:00:00.000Z",
    });
  });

  it.each([
    ["Wei Chen", WEI, "SILVER", { tier: "GOLD", pointsToGo: 20000 - 6890 }],
    ["Minh Nguyen", MINH, "BASIC", { tier: "SILVER", pointsToGo: 5000 - 2800 }],
    ["Sofia Rossi", SOFIA, "PLATINUM", null],
  ])("is %s for that member's signed call", async (displayName, memberId, tier, next) => {
    const res = await h.q(ME, {}, { memberId });
    expect(res.data!.me).toMatchObject({ id: memberId, displayName, tier, nextTier: next });
  });

  it("is null for an anonymous caller, and for a partner key without a member", async () => {
    for (const caller of [{}, { keyId: "key_123", retailerId: null, scopes: ["catalog:read"] }]) {
      const res = await h.q(ME, {}, caller);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ me: null });
    }
  });

  it("is null when the signed-in member does not exist (or the id is not a UUID)", async () => {
    for (const memberId of [UNKNOWN_ID, "not-a-uuid"]) {
      const res = await h.q(ME, {}, { memberId });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ me: null });
    }
  });
});
