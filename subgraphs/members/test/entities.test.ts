import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, SOFIA, UNKNOWN_ID, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

describe("entity contract", () => {
  it("publishes Federation 2 SDL: Member is an entity, Retailer an unresolvable reference", async () => {
    const res = await h.q("{ _service { sdl } }");
    const sdl = res.data!._service.sdl as string;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(sdl).toMatch(/type Member\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Retailer\s+@key\(fields: "id", resolvable: false\)/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    expect(sdl).toMatch(/enum LoyaltyTier \{\s+BASIC\s+SILVER\s+GOLD\s+PLATINUM\s+\}/);
    // No contact PII is exposed (email is stored, not served); the passport is only an owner-or-scope Identity
    // with the last 4 characters, and matching a presented number is internal.
    expect(sdl).not.toMatch(/^\s+(email|phone)\w*\s*[:(]/im);
    expect(sdl.match(/type Identity \{[^}]*\}/)?.[0]).toMatch(/documentNumberLast4: String!/);
    expect(sdl.match(/type Identity \{[^}]*\}/)?.[0]).not.toMatch(/\s(number|documentNumber|passportNumber)\s*:/);
    expect(sdl).toMatch(/passportMatches\(number: String!\): Boolean!\s+@inaccessible/);
    expect(sdl).toMatch(/identityVerified: Boolean!\s+@inaccessible/);
  });

  it("resolves Member references in order; unknown and malformed ids are null", async () => {
    const res = await h.q(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id displayName tier pointsBalance lifetimePoints memberSince } } }`,
      {
        r: [
          { __typename: "Member", id: SOFIA },
          { __typename: "Member", id: UNKNOWN_ID },
          { __typename: "Member", id: AIKO.toUpperCase() },
          { __typename: "Member", id: "42" },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: SOFIA, displayName: "Sofia Rossi", tier: "PLATINUM", pointsBalance: 42660, lifetimePoints: 57660, memberSince: "2026-01-02T02:00:00.000Z" },
      null,
      { id: AIKO, displayName: "Aiko Tanaka", tier: "GOLD", pointsBalance: 12400, lifetimePoints: 24000, memberSince: "2026-01-06T01:00:00.000Z" },
      null,
    ]);
  });

  it("refuses calls that were not signed by the gateway", async () => {
    const { postGraphQL } = await import("@o2o/runtime/testing");
    const res = await postGraphQL(h.url, "{ me { id } }");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
