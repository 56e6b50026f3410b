import { demoProductId, demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, PAY, rowCount, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestKey, type TestSupergraph } from "./support.ts";

// Independent stores on the platform (issue 6), through the gateway over HTTP: Yamada Shoten Kanda, an INDEPENDENT
// neighbourhood grocer, gets assortment advice from the seeded sales (subgraphs/stores/src/demo-sales.ts), reorders
// what it runs out of from the platform, keeps its stock counts and adjustments, and hands over a neighbour's online
// order at its counter.

let t: TestSupergraph;
let shop: TestKey; // Yamada's own key: its stores only
let platform: TestKey;
let sato: TestKey; // another independent shop's key
beforeAll(async () => {
  t = await startTestSupergraph();
  shop = await t.key(["inventory:read", "inventory:write", "analytics:read", "replenishment:write", "fulfillment:write", "orders:read"], "yamada");
  platform = await t.key(["replenishment:write", "inventory:read"]);
  sato = await t.key(["inventory:read", "inventory:write", "analytics:read", "replenishment:write", "fulfillment:write", "orders:read"], "sato");
}, 120_000);
afterAll(() => t?.stop());

const YAMADA = demoStoreId("yamada-kanda");
const id = demoProductId;
const stock = async (sku: string, store = YAMADA) =>
  (await t.sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [store, id(sku)]))[0]?.quantity ?? null;
const footprint = async () => ({
  orders: await rowCount(t, "stores.replenishment_order"),
  lines: await rowCount(t, "stores.replenishment_order_line"),
  events: await rowCount(t, "stores.replenishment_event"),
  adjustments: await rowCount(t, "stores.stock_adjustment"),
  stock: await t.sql(`SELECT product_id, quantity FROM stores.stock WHERE store_id = $1 ORDER BY product_id`, [YAMADA]),
});

describe("an independent shop on the platform", () => {
  it("is a retailer of kind INDEPENDENT with a small store near Corner24 Kanda", async () => {
    const res = await t.query(`query($id: ID!) { store(id: $id) { name floorAreaM2 format capabilities retailer { name kind } } }`, { id: YAMADA });
    expect(res.errors).toBeUndefined();
    expect(res.data!.store).toEqual({
      name: "Yamada Shoten Kanda",
      floorAreaM2: 110,
      format: "SUPERMARKET",
      capabilities: ["PICKUP", "CHILLED_STORAGE"],
      retailer: { name: "Yamada Shoten", kind: "INDEPENDENT" },
    });
  });

  it("gets assortment advice that follows from the seeded sales", async () => {
    const ADVICE = `query($id: ID!) { store(id: $id) { assortmentAdvice {
      comparedStores { name } missingProducts { product { sku name } unitsSold storeCount }
      runningLow { product { sku } quantity unitsSold daysOfCover suggestedReorderQuantity } } } }`;
    const res = await t.query(ADVICE, { id: YAMADA }, shop.headers);
    expect(res.errors).toBeUndefined();
    // By hand from DEMO_SALES (last 28 days, COMMITTED): neighbours within 5 km of 55–220 m² that sell off the shelf.
    expect(res.data!.store.assortmentAdvice).toEqual({
      comparedStores: [{ name: "Corner24 Kanda" }, { name: "Sato Fresh Jimbocho" }, { name: "Corner24 Hamamatsucho" }, { name: "Corner24 Roppongi" }],
      missingProducts: [
        // 20 at Corner24 Kanda + 10 at Sato; ties with Tokyo Banana on 30 units, first by product id.
        { product: { sku: "HOK-002", name: "Cheese Tart (6)" }, unitsSold: 30, storeCount: 2 },
        { product: { sku: "NIP-002", name: "Tokyo Banana (8)" }, unitsSold: 30, storeCount: 1 },
        { product: { sku: "OCE-002", name: "Sushi Platter for 2" }, unitsSold: 12, storeCount: 1 },
        { product: { sku: "HOK-005", name: "Butter Sand (5)" }, unitsSold: 8, storeCount: 1 },
        // Not: NIP-001 (Yamada stocks it), NIP-004 (40 days ago), NIP-006 (released), NIP-003 (Hoshi Akihabara, 800 m²).
      ],
      runningLow: [
        // 56 sold in 28 days = 2/day, 3 on the shelf = 1.5 days; 14 days need 28: reorder 25.
        { product: { sku: "OCE-001" }, quantity: 3, unitsSold: 56, daysOfCover: 1.5, suggestedReorderQuantity: 25 },
        // 28 sold = 1/day, 4 on the shelf = 4 days; reorder 14 − 4 = 10. (Seaweed Salad: 12 / 1.5 = 8 days: not low.)
        { product: { sku: "HOK-001" }, quantity: 4, unitsSold: 28, daysOfCover: 4, suggestedReorderQuantity: 10 },
      ],
    });
    // Only the shop's own key (or the platform's) reads it.
    const other = await t.query(ADVICE, { id: YAMADA }, sato.headers);
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(other.data!.store.assortmentAdvice).toBeNull();
  });
});

const PLACE = `mutation($i: PlaceReplenishmentOrderInput!) { placeReplenishmentOrder(input: $i) {
  replenishmentOrder { id number status total { amount currency } lines { product { sku } quantity unitCost { amount } } }
  userErrors { code field } } }`;
const UPDATE = `mutation($i: UpdateReplenishmentOrderInput!) { updateReplenishmentOrder(input: $i) {
  replenishmentOrder { status events { status } } userErrors { code field } } }`;

describe("replenishment orders", () => {
  it("reorders the advice at the wholesale cost, the platform delivers, the stock rises once", async () => {
    const input = { storeId: YAMADA, lines: [{ productId: id("OCE-001"), quantity: 25 }, { productId: id("HOK-001"), quantity: 10 }], idempotencyKey: "yamada-ro-1" };
    const answers = await Promise.all([1, 2, 3].map(() => t.query(PLACE, { i: input }, shop.headers)));
    for (const a of answers) expect(a.data).toEqual(answers[0]!.data);
    const order = answers[0]!.data!.placeReplenishmentOrder.replenishmentOrder;
    // Catalogue ¥680 and ¥540; wholesale 60 %: ¥408 and ¥324.
    expect(order).toMatchObject({
      status: "SUBMITTED",
      total: { amount: 25 * 408 + 10 * 324, currency: "JPY" },
      lines: [
        { product: { sku: "OCE-001" }, quantity: 25, unitCost: { amount: 408 } },
        { product: { sku: "HOK-001" }, quantity: 10, unitCost: { amount: 324 } },
      ],
    });
    expect(order.number).toMatch(/^RO-\d{6}$/);
    expect(await rowCount(t, "stores.replenishment_order")).toBe(1);

    const step = (status: string, k: string, who: TestKey = platform) => t.query(UPDATE, { i: { orderId: order.id, status, idempotencyKey: k } }, who.headers);
    expect((await step("CONFIRMED", "y-1", shop)).data!.updateReplenishmentOrder.userErrors).toEqual([{ code: "PLATFORM_ONLY", field: ["input", "status"] }]);
    expect((await step("SHIPPED", "p-0")).data!.updateReplenishmentOrder.userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "status"] }]);
    expect((await step("CONFIRMED", "p-1")).data!.updateReplenishmentOrder.replenishmentOrder.status).toBe("CONFIRMED");
    expect((await step("SHIPPED", "p-2")).data!.updateReplenishmentOrder.replenishmentOrder.status).toBe("SHIPPED");
    expect((await step("CANCELLED", "y-2", shop)).data!.updateReplenishmentOrder.userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "status"] }]);
    const delivered = await Promise.all(["p-3", "p-3", "p-4"].map((k) => step("DELIVERED", k)));
    for (const d of delivered) expect(d.data!.updateReplenishmentOrder.replenishmentOrder.status).toBe("DELIVERED");
    expect(delivered[2]!.data!.updateReplenishmentOrder.replenishmentOrder.events.map((e: any) => e.status)).toEqual(["SUBMITTED", "CONFIRMED", "SHIPPED", "DELIVERED"]);
    expect([await stock("OCE-001"), await stock("HOK-001")]).toEqual([3 + 25, 4 + 10]);

    const HISTORY = `query($id: ID!) { store(id: $id) {
      stockAdjustments(first: 5) { edges { node { product { sku } delta reason quantityBefore quantityAfter replenishmentOrder { number } } } }
      replenishmentOrders(first: 5) { edges { node { number status } } } } }`;
    const history = (await t.query(HISTORY, { id: YAMADA }, shop.headers)).data!.store;
    // One transaction, one instant: the two rows tie on time (then newest-first by id).
    expect(history.stockAdjustments.edges.map((e: any) => e.node)).toEqual(
      expect.arrayContaining([
        { product: { sku: "OCE-001" }, delta: 25, reason: "REPLENISHMENT", quantityBefore: 3, quantityAfter: 28, replenishmentOrder: { number: order.number } },
        { product: { sku: "HOK-001" }, delta: 10, reason: "REPLENISHMENT", quantityBefore: 4, quantityAfter: 14, replenishmentOrder: { number: order.number } },
      ]),
    );
    expect(history.stockAdjustments.edges).toHaveLength(2);
    expect(history.replenishmentOrders.edges.map((e: any) => e.node)).toEqual([{ number: order.number, status: "DELIVERED" }]);
  });

  it.each([
    ["no lines", { lines: [] }, "NO_LINES", ["input", "lines"]],
    ["a zero quantity", { lines: [{ productId: id("OCE-001"), quantity: 0 }] }, "INVALID_QUANTITY", ["input", "lines", "0", "quantity"]],
    ["a duplicate product", { lines: [{ productId: id("OCE-001"), quantity: 1 }, { productId: id("OCE-001"), quantity: 1 }] }, "DUPLICATE_PRODUCT", ["input", "lines", "1", "productId"]],
    ["a product not in the catalogue", { lines: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 1 }] }, "UNKNOWN_PRODUCT", ["input", "lines", "0", "productId"]],
    ["another shop's store", { storeId: demoStoreId("sato-jimbocho") }, "STORE_NOT_FOUND", ["input", "storeId"]],
  ])("refuses an order with %s and writes nothing", async (name, change, code, field) => {
    const before = await footprint();
    const input = { storeId: YAMADA, lines: [{ productId: id("OCE-001"), quantity: 1 }], idempotencyKey: `bad-${name.replace(/\W/g, "-")}`, ...change };
    const res = await t.query(PLACE, { i: input }, shop.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.placeReplenishmentOrder).toEqual({ replenishmentOrder: null, userErrors: [{ code, field }] });
    expect(await footprint()).toEqual(before);
  });

  it("refuses a chain's store (NOT_INDEPENDENT), a key without the scope, and an unknown order", async () => {
    const before = await footprint();
    const chain = await t.query(PLACE, { i: { storeId: demoStoreId("corner24-kanda"), lines: [{ productId: id("OCE-001"), quantity: 1 }], idempotencyKey: "chain-1" } }, (await t.key(["replenishment:write"])).headers);
    expect(chain.data!.placeReplenishmentOrder.userErrors).toEqual([{ code: "NOT_INDEPENDENT", field: ["input", "storeId"] }]);
    const noScope = await t.query(PLACE, { i: { storeId: YAMADA, lines: [{ productId: id("OCE-001"), quantity: 1 }], idempotencyKey: "scope-1" } }, (await t.key(["inventory:write"], "yamada")).headers);
    expect(noScope.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const unknown = await t.query(UPDATE, { i: { orderId: "00000000-0000-4000-8000-000000000000", status: "CONFIRMED", idempotencyKey: "u-1" } }, platform.headers);
    expect(unknown.data!.updateReplenishmentOrder.userErrors).toEqual([{ code: "ORDER_NOT_FOUND", field: ["input", "orderId"] }]);
    expect(await footprint()).toEqual(before);
  });
});

const ADJUST = `mutation($i: AdjustStockInput!) { adjustStock(input: $i) { adjustment { reason delta quantityBefore quantityAfter } stockItem { quantity } userErrors { code field } } }`;
const COUNT = `mutation($i: RecordStockCountInput!) { recordStockCount(input: $i) {
  stockCount { lines { product { sku } counted previousQuantity difference } adjustments { reason delta } } userErrors { code field } } }`;

describe("stock counts and adjustments", () => {
  it("writes off damaged stock once and refuses going below zero", async () => {
    const input = { storeId: YAMADA, productId: id("KIT-004"), delta: -2, reason: "DAMAGED", note: "chipped lids", idempotencyKey: "dmg-1" };
    const [a, b] = await Promise.all([t.query(ADJUST, { i: input }, shop.headers), t.query(ADJUST, { i: input }, shop.headers)]);
    expect(b.data).toEqual(a.data);
    expect(a.data!.adjustStock).toEqual({ adjustment: { reason: "DAMAGED", delta: -2, quantityBefore: 5, quantityAfter: 3 }, stockItem: { quantity: 3 }, userErrors: [] });
    const before = await footprint();
    const tooMany = await t.query(ADJUST, { i: { ...input, delta: -4, idempotencyKey: "dmg-2" } }, shop.headers);
    expect(tooMany.data!.adjustStock).toEqual({ adjustment: null, stockItem: null, userErrors: [{ code: "NEGATIVE_STOCK", field: ["input", "delta"] }] });
    const other = await t.query(ADJUST, { i: { ...input, idempotencyKey: "dmg-3" } }, sato.headers);
    expect(other.data!.adjustStock.userErrors).toEqual([{ code: "STORE_NOT_FOUND", field: ["input", "storeId"] }]);
    const badReason = await t.query(ADJUST, { i: { ...input, reason: "REPLENISHMENT", idempotencyKey: "dmg-4" } }, shop.headers);
    expect(badReason.data!.adjustStock.userErrors).toEqual([{ code: "INVALID_REASON", field: ["input", "reason"] }]);
    const unknownReason = await t.query(ADJUST, { i: { ...input, reason: "LOST", idempotencyKey: "dmg-5" } }, shop.headers);
    expect(unknownReason.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await footprint()).toEqual(before);
  });

  it("records a count: differences become COUNT_CORRECTION adjustments", async () => {
    const res = await t.query(
      COUNT,
      { i: { storeId: YAMADA, counts: [{ productId: id("NIP-005"), counted: 38 }, { productId: id("HOK-003"), counted: 30 }], idempotencyKey: "count-1" } },
      shop.headers,
    );
    expect(res.data!.recordStockCount).toEqual({
      stockCount: {
        lines: [
          { product: { sku: "NIP-005" }, counted: 38, previousQuantity: 40, difference: -2 },
          { product: { sku: "HOK-003" }, counted: 30, previousQuantity: 30, difference: 0 },
        ],
        adjustments: [{ reason: "COUNT_CORRECTION", delta: -2 }],
      },
      userErrors: [],
    });
    const before = await footprint();
    const dup = await t.query(COUNT, { i: { storeId: YAMADA, counts: [{ productId: id("NIP-005"), counted: 1 }, { productId: id("NIP-005"), counted: 2 }], idempotencyKey: "count-2" } }, shop.headers);
    expect(dup.data!.recordStockCount).toEqual({ stockCount: null, userErrors: [{ code: "DUPLICATE_PRODUCT", field: ["input", "counts", "1", "productId"] }] });
    const none = await t.query(COUNT, { i: { storeId: YAMADA, counts: [], idempotencyKey: "count-3" } }, shop.headers);
    expect(none.data!.recordStockCount.userErrors).toEqual([{ code: "NO_LINES", field: ["input", "counts"] }]);
    const negative = await t.query(COUNT, { i: { storeId: YAMADA, counts: [{ productId: id("NIP-005"), counted: -1 }], idempotencyKey: "count-4" } }, shop.headers);
    expect(negative.data!.recordStockCount.userErrors).toEqual([{ code: "INVALID_COUNT", field: ["input", "counts", "0", "counted"] }]);
    expect(await footprint()).toEqual(before);
  });
});

const QUEUE = `query($id: ID!, $s: FulfillmentStatus) { store(id: $id) { fulfillmentQueue(status: $s) { edges { node { id status type order { id } } } } } }`;
const READY = `mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`;
const HAND_OVER = `mutation($input: HandOverFulfillmentInput!) { handOverFulfillment(input: $input) { fulfillment { status } userErrors { code } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { status fulfillment { id status pickupCode store { name } } } }`;

describe("a fulfilment hub", () => {
  it("a member picks up at the shop's counter: its own stock and a line sold by a neighbour; the shop's key works the queue", async () => {
    const slotId = await freeSlot(t, "yamada-kanda", tomorrowInTokyo());
    const [candy, tart] = [await stock("NIP-005"), await stock("HOK-002", demoStoreId("sato-jimbocho"))];
    const lines = [
      { productId: id("NIP-005"), quantity: 2 }, // from Yamada's own shelf (the pickup store)
      { productId: id("HOK-002"), quantity: 1, storeId: demoStoreId("sato-jimbocho") }, // sold by the neighbour
    ];
    const placed = await t.query<CheckoutAnswer>(
      CHECKOUT,
      { input: { channel: "APP", lines, fulfillment: { type: "STORE_PICKUP", storeId: YAMADA, slotId }, idempotencyKey: "aiko-yamada-1" } },
      t.as("aiko"),
    );
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.checkout.userErrors).toEqual([]);
    const order = placed.data!.checkout.order!;
    expect(order.total.amount).toBe(2 * 432 + 1980);
    expect([await stock("NIP-005"), await stock("HOK-002", demoStoreId("sato-jimbocho"))]).toEqual([candy! - 2, tart! - 1]);
    const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: "pay-yamada-1" } }, t.as("aiko"));
    expect(paid.data!.payOrder.order!.status).toBe("PAID");

    const mine = await eventually(
      () => t.query(ORDER, { id: order.id }, t.as("aiko")).then((r) => r.data!.order),
      (o: any) => o.fulfillment?.status === "PENDING",
    );
    expect(mine.fulfillment.store).toEqual({ name: "Yamada Shoten Kanda" });
    const fid = mine.fulfillment.id;
    // The shop's counter sees the order in its queue; another shop cannot read Yamada's queue.
    const queue = await t.query(QUEUE, { id: YAMADA }, shop.headers);
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.store.fulfillmentQueue.edges.map((e: any) => e.node)).toEqual([{ id: fid, status: "PENDING", type: "STORE_PICKUP", order: { id: order.id } }]);
    const foreign = await t.query(QUEUE, { id: YAMADA }, sato.headers);
    expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const member = await t.query(QUEUE, { id: YAMADA }, t.as("aiko"));
    expect(member.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const forged = await t.query(`query($id: ID!) { store(id: $id) { fulfillmentQueue(after: "forged") { edges { cursor } } } }`, { id: YAMADA }, shop.headers);
    expect(forged.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await t.query(READY, { id: fid }, sato.headers)).data!.markFulfillmentReady.userErrors[0].code).toBe("NOT_FOUND");

    expect((await t.query(READY, { id: fid }, shop.headers)).data!.markFulfillmentReady).toEqual({ fulfillment: { status: "READY_FOR_PICKUP" }, userErrors: [] });
    const ready = await t.query(QUEUE, { id: YAMADA, s: "READY_FOR_PICKUP" }, shop.headers);
    expect(ready.data!.store.fulfillmentQueue.edges.map((e: any) => e.node.id)).toEqual([fid]);
    const wrong = mine.fulfillment.pickupCode === "000000" ? "111111" : "000000";
    expect((await t.query(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: wrong } }, shop.headers)).data!.handOverFulfillment.userErrors[0].code).toBe("WRONG_PICKUP_CODE");
    const handed = await t.query(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: mine.fulfillment.pickupCode } }, shop.headers);
    expect(handed.data!.handOverFulfillment).toEqual({ fulfillment: { status: "PICKED_UP" }, userErrors: [] });
    expect((await t.query(QUEUE, { id: YAMADA }, shop.headers)).data!.store.fulfillmentQueue.edges).toEqual([]);
    await eventually(
      () => t.query(ORDER, { id: order.id }, t.as("aiko")).then((r) => r.data!.order.status),
      (s) => s === "COMPLETED",
    );
  }, 60_000);
});
