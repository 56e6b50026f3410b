import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSqlTransaction } from "@o2o/runtime";
import { AIKO, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

// Passports for tax-free shopping: verified at once when valid, PII shown only to the member (or members:pii),
// matched by hash at the counter.
let h: Harness;
beforeAll(async () => {
  h = await startMembers();
});
afterAll(() => h?.stop());

const REGISTER = `mutation($input: PassportInput!) { registerPassport(input: $input) { identity { status fullName nationality documentNumberLast4 expiresOn } userErrors { code field } } }`;
const passport = { number: "EJ1234567", fullName: "CHEN WEI", nationality: "CHN", dateOfBirth: "1990-04-01", expiresOn: "2031-04-01" };
const INTERNAL = `query($r: [_Any!]!, $n: String!) { _entities(representations: $r) { ... on Member { identityVerified passportMatches(number: $n) } } }`;

describe("passport identity", () => {
  it("registers and verifies a visitor's passport, storing no full number", async () => {
    const res = await h.q(REGISTER, { input: passport }, { memberId: WEI });
    expect(res.data!.registerPassport).toEqual({ identity: { status: "VERIFIED", fullName: "CHEN WEI", nationality: "CHN", documentNumberLast4: "4567", expiresOn: "2031-04-01" }, userErrors: [] });
    const rows = await withSqlTransaction(h.target, (tx) => tx.query(`SELECT * FROM members.member_identity WHERE member_id = $1`, [WEI]));
    expect(JSON.stringify(rows)).not.toContain("EJ1234567");
  });

  it("refuses bad passports with codes and stores nothing", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ number: "12" }, "INVALID_PASSPORT_NUMBER"],
      [{ expiresOn: "2020-01-01" }, "PASSPORT_EXPIRED"],
      [{ nationality: "JPN" }, "NOT_ELIGIBLE_FOR_TAX_FREE"],
      [{ nationality: "C1" }, "INVALID_NATIONALITY"],
    ];
    for (const [change, code] of cases) {
      const res = await h.q(REGISTER, { input: { ...passport, ...change } }, { memberId: SOFIA });
      expect(res.data!.registerPassport.userErrors.map((e: { code: string }) => e.code)).toEqual([code]);
    }
    expect(await withSqlTransaction(h.target, (tx) => tx.query(`SELECT 1 FROM members.member_identity WHERE member_id = $1`, [SOFIA]))).toEqual([]);
    expect((await h.q(REGISTER, { input: passport })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("shows the identity to its member and members:pii staff only", async () => {
    const read = (caller: Record<string, unknown>) => h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { identity { documentNumberLast4 } } } }`, { r: [{ __typename: "Member", id: WEI }] }, caller);
    expect((await read({ memberId: WEI })).data!._entities[0].identity).toEqual({ documentNumberLast4: "4567" });
    expect((await read({ scopes: ["members:pii"] })).data!._entities[0].identity).toEqual({ documentNumberLast4: "4567" });
    expect((await read({ memberId: AIKO })).data!._entities[0].identity).toBeNull();
  });

  it("answers identityVerified and passportMatches to sibling services only", async () => {
    const r = [{ __typename: "Member", id: WEI }];
    expect((await h.q(INTERNAL, { r, n: "EJ1234567" }, { service: "logistics" })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const verified = await h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { identityVerified } } }`, { r: [...r, { __typename: "Member", id: AIKO }] }, { service: "payments" });
    expect(verified.data!._entities).toEqual([{ identityVerified: true }, { identityVerified: false }]);
    const match = (n: string) => h.q(`query($r: [_Any!]!, $n: String!) { _entities(representations: $r) { ... on Member { passportMatches(number: $n) } } }`, { r, n }, { service: "logistics" });
    expect((await match("ej 1234567")).data!._entities).toEqual([{ passportMatches: true }]);
    expect((await match("EJ7654321")).data!._entities).toEqual([{ passportMatches: false }]);
  });
});
