import { demoRetailerId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, startMembers, type Harness } from "./support.ts";

// member(id) (members:read): the member themself, any member for a platform key, its club's members for a partner key.
let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(() => h?.stop());

const MEMBER = `query($id: ID!) { member(id: $id) { id displayName } }`;
const partner = (retailer: string, scopes = ["members:read"]) => ({ keyId: `key-${retailer}`, retailerId: demoRetailerId(retailer), scopes });
const read = async (id: string, caller: Record<string, unknown>) => (await h.q(MEMBER, { id }, caller)).data?.member ?? null;

describe("member(id)", () => {
  it("a partner key reads its club's members and nobody else", async () => {
    // Aiko and Minh linked Meridian Club cards; Wei and Sofia did not. FreshWay's club has Aiko only.
    expect(await read(AIKO, partner("meridian"))).toMatchObject({ id: AIKO });
    expect(await read(MINH, partner("meridian"))).toMatchObject({ id: MINH });
    expect(await read(WEI, partner("meridian"))).toBeNull();
    expect(await read(SOFIA, partner("meridian"))).toBeNull();
    expect(await read(MINH, partner("freshway"))).toBeNull();
    expect(await read(AIKO, partner("hoshi"))).toBeNull();
  });

  it("a platform key reads anyone, a member only themself; unknown ids are null", async () => {
    const platform = { keyId: "platform", scopes: ["members:read"] };
    expect(await read(WEI, platform)).toMatchObject({ id: WEI });
    expect(await read(UNKNOWN_ID, platform)).toBeNull();
    expect(await read(WEI, { memberId: WEI })).toMatchObject({ id: WEI });
    expect(await read(AIKO, { memberId: WEI })).toBeNull();
  });

  it("refuses callers without the scope, and malformed ids", async () => {
    expect((await h.q(MEMBER, { id: AIKO }, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await h.q(MEMBER, { id: AIKO }, partner("meridian", ["loyalty:write"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(MEMBER, { id: "aiko" }, partner("meridian"))).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("Member.identity: a partner key sees its club members' passports only", async () => {
    const IDENTITY = `query($id: ID!) { member(id: $id) { identity { documentNumberLast4 } } }`;
    const key = partner("meridian", ["members:read", "members:pii"]);
    const club = await h.q(IDENTITY, { id: AIKO }, key);
    expect(club.errors).toBeUndefined();
    const notClub = await h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { identity { documentNumberLast4 } } } }`, { r: [{ __typename: "Member", id: WEI }] }, key);
    expect(notClub.data!._entities).toEqual([{ identity: null }]);
  });

  it("Member.identity: a member only themself; a partner key its club's members; a platform key anyone", async () => {
    const REGISTER = `mutation($input: PassportInput!) { registerPassport(input: $input) { userErrors { code } } }`;
    const passport = (number: string, fullName: string, nationality: string) => ({ number, fullName, nationality, dateOfBirth: "1990-04-01", expiresOn: "2031-04-01" });
    expect((await h.q(REGISTER, { input: passport("VN1234567", "NGUYEN MINH", "VNM") }, { memberId: MINH })).data!.registerPassport.userErrors).toEqual([]);
    expect((await h.q(REGISTER, { input: passport("EJ7654321", "CHEN WEI", "CHN") }, { memberId: WEI })).data!.registerPassport.userErrors).toEqual([]);
    const IDENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id identity { documentNumberLast4 } } } }`;
    const seen = async (caller: Record<string, unknown>) => {
      const res = await h.q(IDENTITY, { r: [MINH, WEI].map((id) => ({ __typename: "Member", id })) }, caller);
      expect(res.errors).toBeUndefined();
      return (res.data!._entities as { id: string; identity: { documentNumberLast4: string } | null }[]).map((m) => m.identity?.documentNumberLast4 ?? null);
    };
    expect(await seen(partner("meridian", ["members:pii"]))).toEqual(["4567", null]); // Minh is in Meridian Club, Wei is not
    expect(await seen(partner("freshway", ["members:pii"]))).toEqual([null, null]);
    expect(await seen(partner("hoshi", ["members:pii"]))).toEqual([null, null]);
    expect(await seen({ keyId: "platform", scopes: ["members:pii"] })).toEqual(["4567", "4321"]);
    expect(await seen({ memberId: MINH })).toEqual(["4567", null]);
    expect(await seen({ memberId: AIKO })).toEqual([null, null]);
  });

  it("batches the club checks: 4 members cost the statements of 2", async () => {
    const query = (ids: string[]) => `query { ${ids.map((id, i) => `m${i}: member(id: "${id}") { id }`).join(" ")} }`;
    const cost = async (ids: string[]) => {
      const before = await h.sqlStatements();
      const res = await h.q(query(ids), {}, partner("meridian"));
      expect(res.errors).toBeUndefined();
      return (await h.sqlStatements()) - before;
    };
    expect(await cost([AIKO, WEI, MINH, SOFIA])).toBe(await cost([AIKO, WEI]));
  });
});

describe("members-only mutations", () => {
  it("registerPassport and linkPartnerMembership are FORBIDDEN to API keys and services, UNAUTHENTICATED anonymously", async () => {
    const mutations = [
      `mutation { registerPassport(input: { number: "EJ1234567", fullName: "X", nationality: "FRA", dateOfBirth: "1990-01-01", expiresOn: "2031-01-01" }) { userErrors { code } } }`,
      `mutation { linkPartnerMembership(input: { retailerId: "${demoRetailerId("meridian")}", memberNumber: "MC-2026-5001", pin: "5001" }) { userErrors { code } } }`,
    ];
    const all = ["members:read", "members:pii", "loyalty:write", "orders:read", "orders:write", "payments:write"];
    for (const mutation of mutations) {
      for (const [caller, code] of [
        [partner("meridian", all), "FORBIDDEN"],
        [{ keyId: "platform", scopes: all }, "FORBIDDEN"],
        [{ service: "payments" }, "FORBIDDEN"],
        [{}, "UNAUTHENTICATED"],
      ] as const) {
        const res = await h.q(mutation, {}, caller);
        expect(res.errors?.map((e) => e.extensions?.code), `${mutation.slice(11, 30)} ${JSON.stringify(caller)}`).toEqual([code]);
      }
    }
  });
});

describe("adjustPoints binding", () => {
  const ADJUST = `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { entry { points } member { id } userErrors { code } } }`;
  const adjust = (memberId: string, caller: Record<string, unknown>, idempotencyKey: string) =>
    h.q(ADJUST, { i: { memberId, points: 5, note: "Binding", idempotencyKey } }, caller);

  it("FreshWay's key adjusts its club's Aiko, not Meridian-only Minh; a platform key anyone", async () => {
    const freshway = partner("freshway", ["loyalty:write"]);
    expect((await adjust(MINH, freshway, "fw-minh")).data!.adjustPoints).toEqual({ entry: null, member: null, userErrors: [{ code: "UNKNOWN_MEMBER" }] });
    // The same answer as for an id that names nobody: no hint that Minh exists.
    expect((await adjust(UNKNOWN_ID, freshway, "fw-nobody")).data!.adjustPoints).toEqual({ entry: null, member: null, userErrors: [{ code: "UNKNOWN_MEMBER" }] });
    expect((await adjust(AIKO, freshway, "fw-aiko")).data!.adjustPoints).toEqual({ entry: { points: 5 }, member: { id: AIKO }, userErrors: [] });
    expect((await adjust(WEI, { keyId: "platform", scopes: ["loyalty:write"] }, "platform-wei")).data!.adjustPoints).toEqual({ entry: { points: 5 }, member: { id: WEI }, userErrors: [] });
  });
});

describe("club membership is data, not configuration", () => {
  it("once Sofia links a Meridian Club card, Meridian's key reaches her (and still not FreshWay's)", async () => {
    expect(await read(SOFIA, partner("meridian"))).toBeNull();
    const LINK = `mutation($i: LinkPartnerMembershipInput!) { linkPartnerMembership(input: $i) { userErrors { code } } }`;
    const linked = await h.q(LINK, { i: { retailerId: demoRetailerId("meridian"), memberNumber: "MC-2026-5002", pin: "5002" } }, { memberId: SOFIA });
    expect(linked.data!.linkPartnerMembership.userErrors).toEqual([]);
    expect(await read(SOFIA, partner("meridian"))).toMatchObject({ id: SOFIA });
    expect(await read(SOFIA, partner("freshway"))).toBeNull();
  });
});
