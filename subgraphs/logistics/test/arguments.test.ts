import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULFILLMENTS, SLOTS, orderReps, startLogistics, store, storeReps, tokyoDate, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startLogistics()));
afterAll(async () => h?.stop());

async function refused(query: string, variables: Record<string, unknown>) {
  const before = await h.sqlStatements();
  const res = await h.q(query, variables);
  const used = (await h.sqlStatements()) - before;
  expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  expect(used).toBe(0);
  return res;
}

describe("argument checks", () => {
  it.each([
    ["a month that does not exist", "2026-13-01"],
    ["a day that does not exist", "2026-02-30"],
    ["a date-time instead of a date", "2026-11-24T10:00:00+09:00"],
    ["a word", "tomorrow"],
    ["an empty string", ""],
  ])("refuses %s as Date with BAD_USER_INPUT", async (_, date) => {
    await refused(SLOTS, { r: storeReps([store("hoshi-ginza")]), date });
  });

  it("refuses a Date literal that is malformed", async () => {
    const res = await h.q(`{ _entities(representations: [{ __typename: "Store", id: "${store("hoshi-ginza")}" }]) { ... on Store { pickupSlots(date: "2026-1-5") { id } } } }`);
    expect(res.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it("refuses a date more than 30 days ahead, before any SQL", async () => {
    const res = await refused(SLOTS, { r: storeReps([store("hoshi-ginza"), store("meridian-nihonbashi")]), date: tokyoDate(31) });
    expect(res.errors?.[0]?.path).toEqual(["_entities", 0, "pickupSlots"]);
    // Only the field is nulled: the store itself still resolves.
    expect((res.data!._entities as any[])[0]).toEqual({ id: store("hoshi-ginza"), pickupSlots: null });
    await refused(SLOTS, { r: storeReps([store("hoshi-ginza")]), date: "2030-01-01" });
  });

  it("refuses malformed store and order ids", async () => {
    const slots = await refused(SLOTS, { r: storeReps(["1 OR 1=1"]), date: tokyoDate(1) });
    expect(slots.errors?.[0]?.path).toEqual(["_entities", 0, "pickupSlots"]);
    const orders = await refused(FULFILLMENTS, { r: orderReps(["order-42"]) });
    expect(orders.errors?.[0]?.path).toEqual(["_entities", 0, "fulfillment"]);
  });
});
