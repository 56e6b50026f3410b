import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { line, reservationHelpers } from "./reservation-support.ts";
import { productId, startStores, storeId, type Harness } from "./support.ts";

// The race checkout exists for: many buyers, few units. Conditional decrements mean the shelf never goes
// below zero, whatever the interleaving (and the CHECK constraint would refuse it if code ever tried).
let h: Harness;
let t: ReturnType<typeof reservationHelpers>;
beforeAll(async () => {
  h = await startStores();
  t = reservationHelpers(h);
});
afterAll(() => h?.stop());

it("sells exactly 10 units to 200 concurrent orders for the last 10", async () => {
  await t.setStock("hoshi-akihabara", "SOR-001", 10);
  const orders = Array.from({ length: 200 }, () => randomUUID());
  const answers = await Promise.all(orders.map((o) => t.reserve(o, [line("hoshi-akihabara", "SOR-001", 1)])));
  expect(answers.filter((a) => a.ok)).toHaveLength(10);
  const refused = answers.filter((a) => !a.ok);
  expect(refused).toHaveLength(190);
  for (const a of refused) expect(a).toMatchObject({ code: "OUT_OF_STOCK", productId: productId("SOR-001"), storeId: storeId("hoshi-akihabara") });
  expect(await t.stockOf("hoshi-akihabara", "SOR-001")).toBe(0);
  const [held] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM stores.stock_reservation WHERE order_id = ANY($1::uuid[]) AND status = 'HELD'`, [orders]);
  expect(held!.n).toBe(10);
}, 120_000);

it("refuses a stock row below zero at the database level", async () => {
  await t.setStock("hoshi-akihabara", "SOR-002", 1);
  await expect(t.sql(`UPDATE stores.stock SET quantity = quantity - 2 WHERE store_id = $1 AND product_id = $2`, [storeId("hoshi-akihabara"), productId("SOR-002")])).rejects.toThrow(/violates check constraint/);
  expect(await t.stockOf("hoshi-akihabara", "SOR-002")).toBe(1);
});
