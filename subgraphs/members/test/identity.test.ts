import { demoRetailerId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, sql, startMembers, type Harness } from "./support.ts";

// Passports for tax-free shopping: verified at once when valid, PII shown only to the member (or members:pii),
// matched by hash at the counter.
let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(() => h?.stop());

const REGISTER = `mutation($input: PassportInput!) { registerPassport(input: $input) {
  identity { status fullName nationality documentNumberLast4 expiresOn verifiedAt } userErrors { code field } } }`;
const passport = { number: "EJ1234567", fullName: "CHEN WEI", nationality: "CHN", dateOfBirth: "1990-04-01", expiresOn: "2031-04-01" };
const identityRows = (memberId: string) => sql<Record<string, unknown>>(h.target, `SELECT * FROM members.member_identity WHERE member_id = $1`, [memberId]);
const entities = (query: string, ids: string[], caller: Record<string, unknown>, n?: string) =>
  h.q(`query($r: [_Any!]!${n === undefined ? "" : ", $n: String!"}) { _entities(representations: $r) { ... on Member { ${query} } } }`, { r: ids.map((id) => ({ __typename: "Member", id })), ...(n === undefined ? {} : { n }) }, caller);

describe("registerPassport", () => {
  it("verifies a visitor's passport at once, storing only a keyed hash and the last 4 characters", async () => {
    const res = await h.q(REGISTER, { input: passport }, { memberId: WEI });
    expect(res.data!.registerPassport).toMatchObject({
      identity: { status: "VERIFIED", fullName: "CHEN WEI", nationality: "CHN", documentNumberLast4: "4567", expiresOn: "2031-04-01" },
      userErrors: [],
    });
    expect(Date.now() - Date.parse(res.data!.registerPassport.identity.verifiedAt)).toBeLessThan(60_000);
    const rows = await identityRows(WEI);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number_last4: "4567", full_name: "CHEN WEI", nationality: "CHN" });
    expect(String(rows[0]!.number_hash)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(rows)).not.toContain("1234567");
  });

  it.each([
    [{ number: "12" }, "INVALID_PASSPORT_NUMBER", "number"],
    [{ number: "EJ-12345" }, "INVALID_PASSPORT_NUMBER", "number"],
    [{ number: "EJ12345678" }, "INVALID_PASSPORT_NUMBER", "number"],
    [{ expiresOn: "2020-01-01" }, "PASSPORT_EXPIRED", "expiresOn"],
    [{ nationality: "JPN" }, "NOT_ELIGIBLE_FOR_TAX_FREE", "nationality"],
    [{ nationality: "jp" }, "NOT_ELIGIBLE_FOR_TAX_FREE", "nationality"],
    [{ nationality: "C1" }, "INVALID_NATIONALITY", "nationality"],
    [{ nationality: "CHINA" }, "INVALID_NATIONALITY", "nationality"],
  ])("refuses %o with %s and stores nothing", async (change, code, field) => {
    const res = await h.q(REGISTER, { input: { ...passport, ...change } }, { memberId: SOFIA });
    expect(res.data!.registerPassport).toEqual({ identity: null, userErrors: [{ code, field: ["input", field] }] });
    expect(await identityRows(SOFIA)).toEqual([]);
  });

  it("refuses an invalid Date as BAD_USER_INPUT, anonymous callers as UNAUTHENTICATED, unknown members as a userError", async () => {
    const bad = await h.q(REGISTER, { input: { ...passport, expiresOn: "2031-02-30" } }, { memberId: SOFIA });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await h.q(REGISTER, { input: passport })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await h.q(REGISTER, { input: passport }, { memberId: UNKNOWN_ID })).data!.registerPassport.userErrors).toEqual([{ code: "UNKNOWN_MEMBER", field: null }]);
    expect(await identityRows(SOFIA)).toEqual([]);
  });

  it("replaces the previous identity when registering again; a refused one leaves it as it was", async () => {
    await h.q(REGISTER, { input: { ...passport, number: "AB1111111", fullName: "NGUYEN MINH", nationality: "VNM" } }, { memberId: MINH });
    const res = await h.q(REGISTER, { input: { ...passport, number: "AB2222222", fullName: "NGUYEN VAN MINH", nationality: "VN" } }, { memberId: MINH });
    expect(res.data!.registerPassport.identity).toMatchObject({ documentNumberLast4: "2222", fullName: "NGUYEN VAN MINH", nationality: "VN" });
    await h.q(REGISTER, { input: { ...passport, number: "AB3333333", nationality: "JPN" } }, { memberId: MINH });
    expect(await identityRows(MINH)).toHaveLength(1);
    expect((await identityRows(MINH))[0]).toMatchObject({ number_last4: "2222" });
    const match = (n: string) => entities("passportMatches(number: $n)", [MINH], { service: "logistics" }, n);
    expect((await match("AB1111111")).data!._entities).toEqual([{ passportMatches: false }]);
    expect((await match("AB2222222")).data!._entities).toEqual([{ passportMatches: true }]);
  });
});

describe("Member.identity (PII)", () => {
  it("is shown to its member and to platform keys with members:pii; null for other members, other retailers' keys and services", async () => {
    const read = (caller: Record<string, unknown>) => entities("identity { documentNumberLast4 fullName }", [WEI], caller);
    const shown = { documentNumberLast4: "4567", fullName: "CHEN WEI" };
    expect((await read({ memberId: WEI })).data!._entities[0].identity).toEqual(shown);
    expect((await read({ keyId: "platform-key", scopes: ["members:pii"] })).data!._entities[0].identity).toEqual(shown);
    for (const caller of [{ memberId: AIKO }, { keyId: "k", retailerId: demoRetailerId("meridian"), scopes: ["members:pii"] }, { service: "payments" }]) {
      const res = await read(caller);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0].identity).toBeNull();
    }
    expect((await h.q(`{ me { identity { status } } }`, {}, { memberId: AIKO })).data!.me.identity).toBeNull();
  });

  it("checks members:pii itself: FORBIDDEN without it (keys, a member token without it), UNAUTHENTICATED anonymously", async () => {
    const read = (caller: Record<string, unknown>) => entities("id identity { documentNumberLast4 }", [WEI], caller);
    for (const [caller, code] of [
      [{ keyId: "k", scopes: ["loyalty:write", "members:read"] }, "FORBIDDEN"],
      [{ keyId: "k", retailerId: demoRetailerId("meridian"), scopes: ["members:read"] }, "FORBIDDEN"],
      [{ memberId: WEI, scopes: ["members:read"] }, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      const res = await read(caller);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(res.data!._entities).toEqual([{ id: WEI, identity: null }]);
    }
  });

  it("is EXPIRED once its expiry date has passed, and then no longer verified nor matching", async () => {
    await h.q(REGISTER, { input: { ...passport, number: "ZZ9876543", fullName: "ROSSI SOFIA", nationality: "ITA" } }, { memberId: SOFIA });
    await sql(h.target, `UPDATE members.member_identity SET expires_on = current_date - 1 WHERE member_id = $1`, [SOFIA]);
    expect((await h.q(`{ me { identity { status documentNumberLast4 } } }`, {}, { memberId: SOFIA })).data!.me.identity).toEqual({ status: "EXPIRED", documentNumberLast4: "6543" });
    expect((await entities("identityVerified", [SOFIA], { service: "payments" })).data!._entities).toEqual([{ identityVerified: false }]);
    expect((await entities("passportMatches(number: $n)", [SOFIA], { service: "logistics" }, "ZZ9876543")).data!._entities).toEqual([{ passportMatches: false }]);
  });
});

describe("identityVerified and passportMatches (internal)", () => {
  it("tell payments and logistics whether a verified passport is on file and whether a number is it", async () => {
    const verified = await entities("identityVerified", [WEI, AIKO, UNKNOWN_ID], { service: "payments" });
    expect(verified.data!._entities).toEqual([{ identityVerified: true }, { identityVerified: false }, null]);
    const match = async (n: string) => (await entities("passportMatches(number: $n)", [WEI, AIKO], { service: "logistics" }, n)).data!._entities;
    expect(await match("EJ1234567")).toEqual([{ passportMatches: true }, { passportMatches: false }]);
    expect(await match("ej 123 4567")).toEqual([{ passportMatches: true }, { passportMatches: false }]);
    expect(await match("EJ7654321")).toEqual([{ passportMatches: false }, { passportMatches: false }]);
    expect(await match("")).toEqual([{ passportMatches: false }, { passportMatches: false }]);
  });

  it("are FORBIDDEN to members (even the passport's owner), staff, other services and anonymous callers", async () => {
    for (const caller of [{ memberId: WEI }, { keyId: "k", scopes: ["members:pii"] }, { service: "stores" }, {}]) {
      for (const [field, n] of [["identityVerified", undefined], ["passportMatches(number: $n)", "EJ1234567"]] as const) {
        const res = await entities(field, [WEI], caller, n);
        expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
        expect(JSON.stringify(res.data)).not.toContain("true");
      }
    }
  });

  it("are not in the public API (@inaccessible)", async () => {
    const sdl = (await h.q(`{ _service { sdl } }`)).data!._service.sdl as string;
    expect(sdl).toMatch(/identityVerified: Boolean!\s+@inaccessible/);
    expect(sdl).toMatch(/passportMatches\(number: String!\): Boolean!\s+@inaccessible/);
  });
});
