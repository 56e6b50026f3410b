import { demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, product, rowCount, setStock, stockOf, type CheckoutAnswer } from "./commerce.ts";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// Checkout through the gateway: stock is reserved atomically and never oversold, and an idempotency key
// places one order however often (and however concurrently) it is sent.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const MEMBERS = ["aiko", "wei", "minh", "sofia"];
const scanAndGo = (productId: string, key: string, quantity = 1) => ({
  input: { channel: "IN_STORE_SCAN", lines: [{ productId, storeId: demoStoreId("hoshi-akihabara"), quantity }], idempotencyKey: key },
});

describe("checkout: stock", () => {
  it("sells exactly the last 10 units to 200 concurrent checkouts; the rest get OUT_OF_STOCK", async () => {
    const item = product((p) => p.sku === "SOR-003");
    await setStock(t, "hoshi-akihabara", item.id, 10);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.query<CheckoutAnswer>(CHECKOUT, scanAndGo(item.id, `oversell-${i}`), t.as(MEMBERS[i % 4]!))),
    );
    const placed = answers.filter((a) => a.data?.checkout.order);
    const refused = answers.filter((a) => a.data?.checkout.userErrors[0]?.code === "OUT_OF_STOCK");
    expect(answers.flatMap((a) => a.errors ?? []).slice(0, 3)).toEqual([]);
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(190);
    expect(await stockOf(t, "hoshi-akihabara", item.id)).toBe(0);
    // Exactly 10 orders and 10 held reservations exist for the product: the refused ones wrote nothing.
    expect(await rowCount(t, "payments.order_line", "product_id = $1", [item.id])).toBe(10);
    expect(await rowCount(t, "stores.stock_reservation_line", "product_id = $1", [item.id])).toBe(10);
    expect(await t.sql(`SELECT quantity FROM stores.stock WHERE quantity < 0`)).toEqual([]);
  }, 120_000);

  it("computes prices and totals from the catalogue, in integer yen", async () => {
    const item = product((p) => p.sku === "HAN-002");
    await setStock(t, "hoshi-akihabara", item.id, 5);
    const res = await t.query<CheckoutAnswer>(CHECKOUT, scanAndGo(item.id, "prices-1", 3), t.as("aiko"));
    expect(res.data!.checkout.userErrors).toEqual([]);
    expect(res.data!.checkout.order).toMatchObject({ status: "PENDING_PAYMENT", total: { amount: item.price * 3, currency: "JPY" }, taxFreeAmount: { amount: 0 } });
    expect(await stockOf(t, "hoshi-akihabara", item.id)).toBe(2);
  });

  it("places one order for one idempotency key sent 20 times at once; every answer is identical", async () => {
    const item = product((p) => p.sku === "HAN-003");
    await setStock(t, "hoshi-akihabara", item.id, 50);
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.query<CheckoutAnswer>(CHECKOUT, scanAndGo(item.id, "same-key-1", 2), t.as("wei"))));
    const bodies = answers.map((a) => JSON.stringify(a.data));
    expect(new Set(bodies).size).toBe(1);
    expect(answers[0]!.data!.checkout.order?.id).toBeTruthy();
    expect(await rowCount(t, "payments.customer_order", "idempotency_key LIKE $1", ["%:same-key-1"])).toBe(1);
    expect(await stockOf(t, "hoshi-akihabara", item.id)).toBe(48);
  }, 60_000);

  it("refuses one key reused for a different checkout, and writes nothing", async () => {
    const item = product((p) => p.sku === "HAN-003");
    const res = await t.query<CheckoutAnswer>(CHECKOUT, scanAndGo(item.id, "same-key-1", 5), t.as("wei"));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(await stockOf(t, "hoshi-akihabara", item.id)).toBe(48);
  });

  it("needs a signed-in member", async () => {
    const item = product((p) => p.sku === "HAN-003");
    const res = await t.query<CheckoutAnswer>(CHECKOUT, scanAndGo(item.id, "anon-1"));
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
