import { DEMO_STORES } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULFILLMENTS, SLOTS, order, orderReps, startLogistics, store, storeReps, tokyoDate, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startLogistics()));
afterAll(async () => h?.stop());

async function statementsFor(query: string, variables: Record<string, unknown>) {
  const before = await h.sqlStatements();
  const res = await h.q(query, variables);
  const after = await h.sqlStatements();
  expect(res.errors).toBeUndefined();
  return { count: after - before, entities: res.data!._entities as any[] };
}

const PICKUP_STORES = DEMO_STORES.filter((s) => s.capabilities.includes("PICKUP")).map((s) => store(s.key));
const ORDER_KEYS = [...Array.from({ length: 14 }, (_, i) => `aiko-${i + 1}`), "wei-1", "wei-2", "wei-3", "minh-1", "minh-2", "sofia-1", "sofia-2", "sofia-3", "sofia-4"];

describe("no N+1", () => {
  it("lists pickup slots of 2 or 20 stores in the same number of SQL statements (one)", async () => {
    expect(PICKUP_STORES.length).toBeGreaterThanOrEqual(20);
    const date = tokyoDate(3);
    const two = await statementsFor(SLOTS, { r: storeReps(PICKUP_STORES.slice(0, 2)), date });
    const twenty = await statementsFor(SLOTS, { r: storeReps(PICKUP_STORES.slice(0, 20)), date });
    expect(two.count).toBe(1);
    expect(twenty.count).toBe(two.count);
    expect(twenty.entities.slice(0, 2)).toEqual(two.entities);
    expect(twenty.entities.filter((s) => s.pickupSlots.length > 0).length).toBeGreaterThanOrEqual(19);
  });

  it("asks for several days of 2 or 20 stores in the same number of statements", async () => {
    const query = `query($r: [_Any!]!, $a: Date!, $b: Date!) { _entities(representations: $r) { ... on Store {
      a: pickupSlots(date: $a) { id capacityLeft } b: pickupSlots(date: $b) { id capacityLeft } } } }`;
    const dates = { a: tokyoDate(4), b: tokyoDate(5) };
    const two = await statementsFor(query, { r: storeReps(PICKUP_STORES.slice(0, 2)), ...dates });
    const twenty = await statementsFor(query, { r: storeReps(PICKUP_STORES.slice(0, 20)), ...dates });
    expect(twenty.count).toBe(two.count);
    expect(twenty.count).toBeLessThanOrEqual(2);
  });

  it("gives each store of a batch the slots a lone request gets", async () => {
    const date = tokyoDate(2);
    const batch = await statementsFor(SLOTS, { r: storeReps(PICKUP_STORES.slice(5, 9)), date });
    for (const [i, id] of PICKUP_STORES.slice(5, 9).entries()) {
      const alone = await statementsFor(SLOTS, { r: storeReps([id]), date });
      expect(batch.entities[i]).toEqual(alone.entities[0]);
    }
  });

  it("resolves fulfilments of 2 or 20 orders, with slots and tracking, in the same number of statements", async () => {
    const two = await statementsFor(FULFILLMENTS, { r: orderReps(ORDER_KEYS.slice(0, 2).map(order)) });
    const twenty = await statementsFor(FULFILLMENTS, { r: orderReps(ORDER_KEYS.slice(0, 20).map(order)) });
    expect(two.count).toBeGreaterThan(0);
    expect(twenty.count).toBe(two.count);
    // fulfilments, tracking events, booked slots: one statement each.
    expect(twenty.count).toBeLessThanOrEqual(3);
    expect(twenty.entities.slice(0, 2)).toEqual(two.entities);
  });
});
