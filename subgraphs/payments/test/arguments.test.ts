import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MEMBER_ORDERS, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
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
  ])("refuses %s with BAD_USER_INPUT before any SQL runs", async (_, args) => {
    const before = await h.sqlStatements();
    const res = await h.q(MEMBER_ORDERS, { r: memberRep(AIKO), ...args }, { memberId: AIKO });
    expect(await h.sqlStatements()).toBe(before);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.path).toEqual(["_entities", 0, "orders"]);
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  });

  it.each([["not a UUID", "42"], ["an injection attempt", "' OR 1=1 --"], ["an empty id", ""]])("refuses order(id) with %s: BAD_USER_INPUT, no SQL", async (_, id) => {
    const before = await h.sqlStatements();
    const res = await h.q(`query($id: ID!) { order(id: $id) { id } }`, { id }, { memberId: AIKO });
    expect(await h.sqlStatements()).toBe(before);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.path).toEqual(["order"]);
  });

  it("accepts the largest page size", async () => {
    const res = await h.q(MEMBER_ORDERS, { r: memberRep(AIKO), first: 100 }, { memberId: AIKO });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0].orders.edges).toHaveLength(14);
    expect(res.data!._entities[0].orders.edges.at(-1).node.id).toBe(orderId("aiko-1"));
  });
});
