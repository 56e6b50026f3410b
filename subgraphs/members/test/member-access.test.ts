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
});
