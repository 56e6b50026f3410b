import { randomUUID } from "node:crypto";
import { cacheFromEnv, entityTag, envelope, localWiring, rootTag, versionKey, type Wiring } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, PAYMENTS, RELEASE, RESERVE, reservationHelpers, type Reservation } from "./reservation-support.ts";
import { startStores, storeId, type Harness } from "./support.ts";

// The gateways' read cache shows `Product.availability` until stores bumps `stores:Product:<id>` (runtime cache-tags.ts).
// Every write path of stock must bump it once its transaction has committed, before the mutation answers (or, for
// events and the sweeper, right after their commit). Each product here is a fresh id with a stock row of its own, so
// the counts are exact even on a Redis shared with other runs (REDIS_URL: the real cache; otherwise process memory).
let h: Harness;
let t: ReturnType<typeof reservationHelpers>;
const wiring: Wiring = { ...localWiring(), cache: cacheFromEnv() };
beforeAll(async () => {
  h = await startStores(wiring);
  t = reservationHelpers(h);
});
afterAll(async () => {
  await h?.stop();
  await wiring.cache.close();
});

const IKEBUKURO = storeId("hoshi-ikebukuro");
const YAMADA = storeId("yamada-kanda");
const HARAJUKU = storeId("lumen-popup-harajuku");
const SHOWROOM = storeId("lumen-omotesando");
const PLATFORM = { keyId: "key-platform-cache", retailerId: null, scopes: ["inventory:write", "replenishment:write"] };

const version = async (tag: string) => Number((await wiring.cache.get(versionKey(tag))) ?? 0);
const productVersion = (productId: string) => version(entityTag("stores", "Product", productId));
/** A product nobody else touches, with `quantity` units in `store`. */
async function stocked(store: string, quantity: number): Promise<string> {
  const productId = randomUUID();
  await t.sql(`INSERT INTO stores.stock (store_id, product_id, quantity) VALUES ($1, $2, $3)`, [store, productId, quantity]);
  return productId;
}
/** How many times `act` bumped each product's version (and whether it bumped the subgraph's root answers). */
async function bumps(productIds: string[], act: () => Promise<unknown>): Promise<{ products: number[]; root: boolean }> {
  const before = await Promise.all(productIds.map(productVersion));
  const rootBefore = await version(rootTag("stores"));
  await act();
  const after = await Promise.all(productIds.map(productVersion));
  return { products: after.map((v, i) => v - before[i]!), root: (await version(rootTag("stores"))) > rootBefore };
}
const reserve = async (productId: string, quantity: number, ttl?: number): Promise<Reservation & { orderId: string }> => {
  const orderId = randomUUID();
  const res = await h.q<{ reserveStock: Reservation }>(RESERVE, { o: orderId, l: [{ productId, storeId: IKEBUKURO, quantity }], ttl }, PAYMENTS);
  expect(res.errors).toBeUndefined();
  return { ...res.data!.reserveStock, orderId };
};
/**
 * Waits until the consumer has applied every event published so far, bumps included: it applies them one at a time, in
 * order, each bump awaited after its commit, so once a marker published last has bumped its own product, all are done.
 */
async function drained(): Promise<void> {
  const marker = await stocked(IKEBUKURO, 1);
  const { orderId } = await reserve(marker, 1);
  const from = await productVersion(marker);
  await t.publish(event("order.cancelled", orderId));
  await eventually(async () => (await productVersion(marker)) > from);
}
/** How much the events published so far bumped `productId` since `from`, once they have all been applied. */
async function consumedBump(productId: string, from: number): Promise<number> {
  await drained();
  return (await productVersion(productId)) - from;
}
const event = (type: string, orderId: string) => envelope("payments", type, { orderId, memberId: randomUUID() });
const expectOk = (res: { data?: unknown; errors?: unknown }, field: string) => {
  expect(res.errors).toBeUndefined();
  expect((res.data as Record<string, { userErrors: unknown[] }>)[field]!.userErrors).toEqual([]);
};

describe("checkout (reserveStock / releaseStock)", () => {
  it("a reservation bumps its product once it has committed, and the subgraph's root answers", async () => {
    const p = await stocked(IKEBUKURO, 5);
    const bumped = await bumps([p], async () => expect((await reserve(p, 2)).ok).toBe(true));
    expect(bumped).toEqual({ products: [1], root: true });
  });

  it("a refused reservation (rolled back) and a replay change nothing and bump nothing", async () => {
    const p = await stocked(IKEBUKURO, 1);
    expect((await bumps([p], async () => expect((await reserve(p, 2)).code).toBe("OUT_OF_STOCK"))).products).toEqual([0]);
    const held = await reserve(p, 1);
    const replay = () => h.q(RESERVE, { o: held.orderId, l: [{ productId: p, storeId: IKEBUKURO, quantity: 1 }] }, PAYMENTS);
    expect((await bumps([p], replay)).products).toEqual([0]);
  });

  it("releaseStock bumps the products it put back", async () => {
    const p = await stocked(IKEBUKURO, 3);
    const { orderId } = await reserve(p, 3);
    expect((await bumps([p], () => h.q(RELEASE, { o: orderId }, PAYMENTS))).products).toEqual([1]);
    // Already released: nothing comes back, nothing is bumped.
    expect((await bumps([p], () => h.q(RELEASE, { o: orderId }, PAYMENTS))).products).toEqual([0]);
  });
});

describe("settlement", () => {
  it("the expiry sweeper bumps each product it returns", async () => {
    const p = await stocked(IKEBUKURO, 4);
    const held = await reserve(p, 4, 60);
    const bumped = await bumps([p], async () => expect(await t.sweep(new Date(Date.parse(held.expiresAt!) + 61_000))).toBe(1));
    expect(bumped.products).toEqual([1]);
  });

  it("order.cancelled (consumer) bumps the returned products after its transaction", async () => {
    const p = await stocked(IKEBUKURO, 2);
    const { orderId } = await reserve(p, 2);
    const from = await productVersion(p);
    await t.publish(event("order.cancelled", orderId));
    expect(await consumedBump(p, from)).toBe(1);
  });

  it("payment.captured of an expired hold takes the stock again and bumps; of a live hold changes no stock and bumps nothing", async () => {
    const expired = await stocked(IKEBUKURO, 5);
    const live = await stocked(IKEBUKURO, 5);
    const late = await reserve(expired, 2, 60);
    const onTime = await reserve(live, 2);
    await t.sweep(new Date(Date.parse(late.expiresAt!) + 61_000));
    const [fromExpired, fromLive] = [await productVersion(expired), await productVersion(live)];
    await t.publish(event("payment.captured", onTime.orderId), event("payment.captured", late.orderId));
    expect(await consumedBump(expired, fromExpired)).toBe(1);
    expect(await t.status(late.orderId)).toEqual({ status: "COMMITTED", release_reason: null });
    expect(await t.status(onTime.orderId)).toEqual({ status: "COMMITTED", release_reason: null });
    expect((await productVersion(live)) - fromLive).toBe(0);
  });

  it("payment.captured of a hold bumps nothing; order.refunded of the paid order bumps the products that come back", async () => {
    const p = await stocked(IKEBUKURO, 2);
    const { orderId } = await reserve(p, 1);
    const from = await productVersion(p);
    // Paid: the hold is committed, no stock moves (no bump); refunded: the unit comes back (one bump).
    await t.publish(event("payment.captured", orderId), event("order.refunded", orderId));
    expect(await consumedBump(p, from)).toBe(1);
    expect(await t.status(orderId)).toEqual({ status: "RELEASED", release_reason: "REFUNDED" });
  });
});

const ADJUST = `mutation($i: AdjustStockInput!) { adjustStock(input: $i) { userErrors { code } } }`;
const COUNT = `mutation($i: RecordStockCountInput!) { recordStockCount(input: $i) { userErrors { code } } }`;
const SET = `mutation($i: SetStockLevelInput!) { setStockLevel(input: $i) { userErrors { code } } }`;
const TRANSFER = `mutation($i: TransferPopUpStockInput!) { transferPopUpStock(input: $i) { userErrors { code } } }`;
const UPDATE = `mutation($i: UpdateReplenishmentOrderInput!) { updateReplenishmentOrder(input: $i) { userErrors { code } } }`;

describe("partner and platform stock writes", () => {
  it("adjustStock bumps the product; a refused adjustment bumps nothing", async () => {
    const p = await stocked(YAMADA, 3);
    const adjust = (delta: number, idempotencyKey: string) => h.q(ADJUST, { i: { storeId: YAMADA, productId: p, delta, reason: "DAMAGED", idempotencyKey } }, PLATFORM);
    expect((await bumps([p], async () => expectOk(await adjust(-1, `adj-${p}`), "adjustStock"))).products).toEqual([1]);
    const refused = await bumps([p], async () => expect((await adjust(-10, `neg-${p}`)).data).toEqual({ adjustStock: { userErrors: [{ code: "NEGATIVE_STOCK" }] } }));
    expect(refused.products).toEqual([0]);
  });

  it("recordStockCount bumps the products whose figure changed, not the ones counted as they were", async () => {
    const changed = await stocked(YAMADA, 3);
    const same = await stocked(YAMADA, 6);
    const count = () => h.q(COUNT, { i: { storeId: YAMADA, counts: [{ productId: changed, counted: 1 }, { productId: same, counted: 6 }], idempotencyKey: `count-${changed}` } }, PLATFORM);
    expect((await bumps([changed, same], async () => expectOk(await count(), "recordStockCount"))).products).toEqual([1, 0]);
  });

  it("setStockLevel bumps the product", async () => {
    const p = await stocked(YAMADA, 3);
    expect((await bumps([p], async () => expectOk(await h.q(SET, { i: { storeId: YAMADA, productId: p, quantity: 9 } }, PLATFORM), "setStockLevel"))).products).toEqual([1]);
  });

  it("transferPopUpStock bumps every product it moves", async () => {
    const [a, b] = [await stocked(HARAJUKU, 2), await stocked(HARAJUKU, 5)];
    const transfer = () => h.q(TRANSFER, { i: { fromStoreId: HARAJUKU, toStoreId: SHOWROOM, idempotencyKey: `transfer-${a}` } }, PLATFORM);
    expect((await bumps([a, b], async () => expectOk(await transfer(), "transferPopUpStock"))).products).toEqual([1, 1]);
  });

  it("a delivered replenishment order bumps the products it shelves; other status changes bump nothing", async () => {
    const p = randomUUID();
    const orderId = randomUUID();
    await t.sql(
      `INSERT INTO stores.replenishment_order (id, store_id, status, currency, total_amount, expected_delivery_on) VALUES ($1, $2, 'CONFIRMED', 'JPY', 600, '2026-11-25')`,
      [orderId, YAMADA],
    );
    await t.sql(`INSERT INTO stores.replenishment_order_line (order_id, position, product_id, quantity, unit_cost_amount) VALUES ($1, 1, $2, 4, 150)`, [orderId, p]);
    const step = (status: string) => h.q(UPDATE, { i: { orderId, status, idempotencyKey: `${status}-${orderId}` } }, PLATFORM);
    expect((await bumps([p], async () => expectOk(await step("SHIPPED"), "updateReplenishmentOrder"))).products).toEqual([0]);
    expect((await bumps([p], async () => expectOk(await step("DELIVERED"), "updateReplenishmentOrder"))).products).toEqual([1]);
    expect((await t.sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [YAMADA, p]))[0]?.quantity).toBe(4);
  });
});
