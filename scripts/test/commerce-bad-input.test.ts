import { randomUUID } from "node:crypto";
import { demoStoreId, seedId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, PAY, product, rowCount, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Bad input to checkout and payment: each a userErrors entry with a stable code, and nothing written anywhere
// (orders, stock reservations, fulfilments, stock levels are compared before and after).
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const ambient = product((p) => p.sku === "HAN-004");
const frozen = product((p) => p.temperature === "FROZEN");

async function footprint() {
  return {
    orders: await rowCount(t, "payments.customer_order"),
    reservations: await rowCount(t, "stores.stock_reservation"),
    fulfilments: await rowCount(t, "logistics.fulfillment", "status <> 'CANCELLED'"),
    ginza: await stockOf(t, "hoshi-ginza", ambient.id),
    nihonbashi: await stockOf(t, "meridian-nihonbashi", frozen.id),
  };
}

async function refused(member: string, input: Record<string, unknown>): Promise<string> {
  const before = await footprint();
  const res = await t.query<CheckoutAnswer>(CHECKOUT, { input: { channel: "APP", idempotencyKey: randomUUID(), ...input } }, t.as(member));
  expect(res.errors).toBeUndefined();
  expect(res.data!.checkout.order).toBeNull();
  expect(await footprint()).toEqual(before);
  return res.data!.checkout.userErrors[0]!.code;
}

const pickupAt = (store: string, slotId: string) => ({ type: "STORE_PICKUP", storeId: demoStoreId(store), slotId });

/** The id of yesterday's first slot at a store: what a client holding an old page would send. */
async function yesterdaysSlot(store: string): Promise<string> {
  const [row] = await t.sql<{ starts_at: Date }>(
    `SELECT ((((now() AT TIME ZONE p.time_zone)::date - 1) + p.start_time) AT TIME ZONE p.time_zone) AS starts_at
       FROM logistics.pickup_slot_plan p
      WHERE p.store_id = $1 AND p.weekday = extract(isodow FROM (now() AT TIME ZONE p.time_zone)::date - 1)
      ORDER BY p.start_time LIMIT 1`,
    [demoStoreId(store)],
  );
  return seedId("slot", `${demoStoreId(store)}@${new Date(row!.starts_at).toISOString()}`);
}

describe("checkout refuses bad input and writes nothing", () => {
  let slot: string;
  beforeAll(async () => {
    await setStock(t, "hoshi-ginza", ambient.id, 10);
    await setStock(t, "meridian-nihonbashi", frozen.id, 10);
    slot = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
  });

  it("an unknown product", async () => {
    expect(await refused("aiko", { lines: [{ productId: randomUUID(), quantity: 1 }], fulfillment: pickupAt("hoshi-ginza", slot) })).toBe("UNKNOWN_PRODUCT");
  });

  it("an unknown store", async () => {
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: 1 }], fulfillment: { ...pickupAt("hoshi-ginza", slot), storeId: randomUUID() } })).toBe("UNKNOWN_STORE");
  });

  it("a quantity of 0 or less", async () => {
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: 0 }], fulfillment: pickupAt("hoshi-ginza", slot) })).toBe("INVALID_QUANTITY");
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: -3 }], fulfillment: pickupAt("hoshi-ginza", slot) })).toBe("INVALID_QUANTITY");
  });

  it("more than the store has", async () => {
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: 11 }], fulfillment: pickupAt("hoshi-ginza", slot) })).toBe("OUT_OF_STOCK");
  });

  it("a slot in the past", async () => {
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: 1 }], fulfillment: pickupAt("hoshi-ginza", await yesterdaysSlot("hoshi-ginza")) })).toBe("SLOT_IN_PAST");
  });

  it("a full slot", async () => {
    const full = await freeSlot(t, "hoshi-akihabara", tomorrowInTokyo());
    await t.sql(`UPDATE logistics.pickup_slot_plan SET capacity = 1 WHERE store_id = $1`, [demoStoreId("hoshi-akihabara")]);
    await setStock(t, "hoshi-akihabara", ambient.id, 10);
    const first = await t.query<CheckoutAnswer>(CHECKOUT, { input: { channel: "APP", idempotencyKey: randomUUID(), lines: [{ productId: ambient.id, quantity: 1 }], fulfillment: pickupAt("hoshi-akihabara", full) } }, t.as("wei"));
    expect(first.data!.checkout.userErrors).toEqual([]);
    expect(await refused("aiko", { lines: [{ productId: ambient.id, quantity: 1 }], fulfillment: pickupAt("hoshi-akihabara", full) })).toBe("SLOT_FULL");
  });

  it("frozen goods to a convenience store without a freezer", async () => {
    const kanda = await freeSlot(t, "corner24-kanda", tomorrowInTokyo());
    expect(await refused("aiko", { lines: [{ productId: frozen.id, quantity: 1 }], fulfillment: { type: "CONVENIENCE_PICKUP", storeId: demoStoreId("corner24-kanda"), slotId: kanda } })).toBe(
      "STORAGE_UNAVAILABLE",
    );
  });

  it("tax-free without a verified passport", async () => {
    const eligible = product((p) => p.taxFree && p.temperature === "AMBIENT");
    await setStock(t, "hoshi-ginza", eligible.id, 10);
    expect(await refused("sofia", { taxFree: true, lines: [{ productId: eligible.id, quantity: 1 }], fulfillment: pickupAt("hoshi-ginza", slot) })).toBe("PASSPORT_NOT_VERIFIED");
  });

  it("a malformed idempotency key, a missing fulfilment", async () => {
    const res = await t.query<CheckoutAnswer>(CHECKOUT, { input: { channel: "ONLINE", lines: [{ productId: ambient.id, quantity: 1 }], idempotencyKey: "" } }, t.as("aiko"));
    expect(res.data!.checkout.userErrors.map((e) => e.code).sort()).toEqual(["FULFILLMENT_REQUIRED", "INVALID_IDEMPOTENCY_KEY"]);
  });
});

describe("payment refuses bad input and takes nothing", () => {
  async function pendingOrder(member: string, quantity: number) {
    await setStock(t, "hoshi-ginza", ambient.id, 50);
    const res = await t.query<CheckoutAnswer>(
      CHECKOUT,
      { input: { channel: "IN_STORE_SCAN", lines: [{ productId: ambient.id, storeId: demoStoreId("hoshi-ginza"), quantity }], idempotencyKey: randomUUID() } },
      t.as(member),
    );
    return res.data!.checkout.order!;
  }
  const WALLET = `{ me { pointsBalance wallet { balance { amount } prepaidCards { id last4 balance { amount } } } } }`;
  type WalletAnswer = { me: { pointsBalance: number; wallet: { balance: { amount: number }; prepaidCards: { id: string; last4: string; balance: { amount: number } }[] } } };

  it("over a prepaid card's balance: INSUFFICIENT_BALANCE, the card and order untouched", async () => {
    const order = await pendingOrder("aiko", 3);
    const before = (await t.query<WalletAnswer>(WALLET, {}, t.as("aiko"))).data!.me.wallet;
    const card = before.prepaidCards.find((c) => c.last4 === "1001")!;
    expect(order.total.amount).toBeGreaterThan(card.balance.amount);
    const res = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "PREPAID_CARD", amount: order.total.amount, prepaidCardId: card.id }], idempotencyKey: randomUUID() } }, t.as("aiko"));
    expect(res.data!.payOrder.userErrors[0]?.code).toBe("INSUFFICIENT_BALANCE");
    expect((await t.query<WalletAnswer>(WALLET, {}, t.as("aiko"))).data!.me.wallet).toEqual(before);
    expect(await rowCount(t, "payments.payment", "order_id = $1", [order.id])).toBe(0);
    expect((await t.sql<{ status: string }>(`SELECT status::text FROM payments.customer_order WHERE id = $1`, [order.id]))[0]!.status).toBe("PENDING_PAYMENT");
  });

  it("a declined card after points were taken: the points come back", async () => {
    const order = await pendingOrder("aiko", 1);
    const before = (await t.query<WalletAnswer>(WALLET, {}, t.as("aiko"))).data!.me.pointsBalance;
    const res = await t.query<PayAnswer>(
      PAY,
      { input: { orderId: order.id, tenders: [{ method: "POINTS", amount: 100 }, { method: "CARD", amount: order.total.amount - 100, cardToken: "tok_declined" }], idempotencyKey: randomUUID() } },
      t.as("aiko"),
    );
    expect(res.data!.payOrder.userErrors[0]?.code).toBe("CARD_DECLINED");
    await eventually(async () => (await t.query<WalletAnswer>(WALLET, {}, t.as("aiko"))).data!.me.pointsBalance, (p) => p === before);
    expect(await rowCount(t, "payments.payment", "order_id = $1", [order.id])).toBe(0);
  });

  it("tenders that do not add up to the total, another member's order", async () => {
    const order = await pendingOrder("aiko", 1);
    const short = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: 1, cardToken: "tok_visa" }], idempotencyKey: randomUUID() } }, t.as("aiko"));
    expect(short.data!.payOrder.userErrors[0]?.code).toBe("AMOUNT_MISMATCH");
    const other = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: randomUUID() } }, t.as("wei"));
    expect(other.data!.payOrder.userErrors[0]?.code).toBe("ORDER_NOT_FOUND");
    expect(await rowCount(t, "payments.payment", "order_id = $1", [order.id])).toBe(0);
  });
});
