import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("argument checks", () => {
  it.each([
    ["a negative first", { first: -1 }],
    ["first above the maximum page size", { first: 101 }],
    ["a cursor that is not base64 JSON", { after: "bm90LWEtY3Vyc29y!" }],
    ["a cursor of another connection (a string key)", { after: cursor("HAN-001") }],
    ["a cursor with a malformed instant", { after: cursor(["2026-13-40T00:00:00.000Z", AIKO]) }],
    ["a cursor with a non-canonical instant", { after: cursor(["2026-01-06T10:00:00+09:00", AIKO]) }],
    ["a cursor with an id that is not a UUID", { after: cursor(["2026-01-06T01:00:00.000Z", "1 OR 1=1"]) }],
    ["a cursor with extra parts", { after: cursor(["2026-01-06T01:00:00.000Z", AIKO, 1]) }],
  ])("refuses %s with BAD_USER_INPUT before the ledger query runs", async (_, args) => {
    const baseline = await h.sqlStatements();
    await h.q(`{ me { id } }`, {}, { memberId: AIKO });
    const memberOnly = (await h.sqlStatements()) - baseline;

    const before = await h.sqlStatements();
    const res = await h.q(`query($first: Int, $after: String) { me { id pointsLedger(first: $first, after: $after) { edges { cursor } } } }`, args, { memberId: AIKO });
    const used = (await h.sqlStatements()) - before;

    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.path).toEqual(["me", "pointsLedger"]);
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
    expect(used).toBe(memberOnly);
  });

  it("refuses the same arguments on a member reached through _entities", async () => {
    const res = await h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { pointsLedger(first: 1000) { edges { cursor } } } } }`, {
      r: [{ __typename: "Member", id: AIKO }],
    });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
