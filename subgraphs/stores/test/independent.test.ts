import { createProductsSubgraph } from "@o2o/products";
import { DEMO_PRODUCTS, withSqlTransaction } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENTS, RESERVE } from "./reservation-support.ts";
import { productId, retailerId, startStores, storeId, type Harness } from "./support.ts";

// Independent stores (issue 6) at the subgraph: retailer kind and floor areas, assortment advice from the seeded sales
// (src/demo-sales.ts), stock adjustments and counts, replenishment orders (catalogue prices from the real products subgraph).

let h: Harness;
let products: TestSubgraph;
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));

beforeAll(async () => {
  h = await startStores();
  // Replenishment prices lines from the catalogue: the real products subgraph, seeded, behind stores' peers.
  products = await startTestSubgraph(createProductsSubgraph);
  h.wiring.peers.register("products", products.url);
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await products?.stop();
});

const YAMADA = storeId("yamada-kanda");
/** Moves the subgraph's clock on by a minute (newest-first lists need distinct instants; sales stay in the window). */
let minutes = 0;
const tick = () => h.setNow(new Date(Date.parse("2026-11-23T03:00:00.000Z") + ++minutes * 60_000).toISOString());
const key = (retailer: string | null, scopes: string[]) => ({ keyId: `key-${retailer ?? "platform"}`, retailerId: retailer ? retailerId(retailer) : null, scopes });
const SHOP = key("yamada", ["inventory:read", "inventory:write", "analytics:read", "replenishment:write"]);
const PLATFORM = key(null, ["inventory:read", "inventory:write", "analytics:read", "replenishment:write"]);
const quantity = async (store: string, sku: string) =>
  (await sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [store, productId(sku)]))[0]?.quantity ?? null;
const count = async (table: string) => Number((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM stores.${table}`))[0]!.n);
const footprint = async () => ({
  adjustments: await count("stock_adjustment"),
  orders: await count("replenishment_order"),
  lines: await count("replenishment_order_line"),
  events: await count("replenishment_event"),
  stock: await sql(`SELECT product_id, quantity FROM stores.stock WHERE store_id = $1 ORDER BY product_id`, [YAMADA]),
});

describe("demo data", () => {
  it("has retailer kinds, two independent shops and a floor area for every store", async () => {
    const res = await h.q(`{ retailers { name kind } yamada: store(id: "${YAMADA}") { name floorAreaM2 retailer { kind } } }`);
    expect(res.errors).toBeUndefined();
    const kinds = Object.fromEntries((res.data as any).retailers.map((r: any) => [r.name, r.kind]));
    expect(kinds).toMatchObject({ "Yamada Shoten": "INDEPENDENT", "Sato Fresh": "INDEPENDENT", "Meridian Department Stores": "DEPARTMENT_STORE", Corner24: "CONVENIENCE" });
    expect((res.data as any).yamada).toEqual({ name: "Yamada Shoten Kanda", floorAreaM2: 110, retailer: { kind: "INDEPENDENT" } });
    expect(await sql(`SELECT id FROM stores.store WHERE floor_area_m2 IS NULL`)).toEqual([]);
  });
});

const ADVICE = `query($id: ID!, $r: Float, $f: Int) { store(id: $id) { assortmentAdvice(radiusKm: $r, first: $f) {
  comparedStores { name } missingProducts { product { id } unitsSold storeCount }
  runningLow { product { id } quantity unitsSold averageDailyUnits daysOfCover suggestedReorderQuantity } } } }`;

describe("Store.assortmentAdvice", () => {
  it("suggests what similar neighbours sell and what runs out, exactly as the seeded sales say", async () => {
    const res = await h.q(ADVICE, { id: YAMADA }, SHOP);
    expect(res.errors).toBeUndefined();
    const advice = (res.data as any).store.assortmentAdvice;
    // 55–220 m², selling, within 5 km: not Hoshi Akihabara (800 m²), CareHub (no shelf) nor the Tsukiji locker.
    expect(advice.comparedStores.map((s: any) => s.name)).toEqual(["Corner24 Kanda", "Sato Fresh Jimbocho", "Corner24 Hamamatsucho", "Corner24 Roppongi"]);
    expect(advice.missingProducts).toEqual([
      { product: { id: productId("HOK-002") }, unitsSold: 30, storeCount: 2 },
      { product: { id: productId("NIP-002") }, unitsSold: 30, storeCount: 1 },
      { product: { id: productId("OCE-002") }, unitsSold: 12, storeCount: 1 },
      { product: { id: productId("HOK-005") }, unitsSold: 8, storeCount: 1 },
    ]);
    expect(advice.runningLow).toEqual([
      { product: { id: productId("OCE-001") }, quantity: 3, unitsSold: 56, averageDailyUnits: 2, daysOfCover: 1.5, suggestedReorderQuantity: 25 },
      { product: { id: productId("HOK-001") }, quantity: 4, unitsSold: 28, averageDailyUnits: 1, daysOfCover: 4, suggestedReorderQuantity: 10 },
    ]);
  });

  it("narrows to the radius and to `first`", async () => {
    const res = await h.q(ADVICE, { id: YAMADA, r: 3, f: 1 }, SHOP);
    const advice = (res.data as any).store.assortmentAdvice;
    expect(advice.comparedStores.map((s: any) => s.name)).toEqual(["Corner24 Kanda", "Sato Fresh Jimbocho"]);
    expect(advice.missingProducts).toEqual([{ product: { id: productId("HOK-002") }, unitsSold: 30, storeCount: 2 }]);
    expect(advice.runningLow).toHaveLength(1);
  });

  it("is bound to the key's own stores and checks its arguments", async () => {
    const other = await h.q(ADVICE, { id: YAMADA }, key("sato", ["analytics:read"]));
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(ADVICE, { id: YAMADA }, key("yamada", ["inventory:read"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    for (const [r, f] of [[0, 10], [51, 10], [5, 0], [5, 51]]) {
      expect((await h.q(ADVICE, { id: YAMADA, r, f }, SHOP)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

const ADJUST = `mutation($i: AdjustStockInput!) { adjustStock(input: $i) {
  adjustment { delta reason quantityBefore quantityAfter note recordedByKeyId product { id } } stockItem { quantity } userErrors { code field } } }`;
const COUNT = `mutation($i: RecordStockCountInput!) { recordStockCount(input: $i) {
  stockCount { lines { product { id } counted previousQuantity difference } adjustments { delta reason quantityAfter } } userErrors { code field } } }`;
const HISTORY = `query($id: ID!, $f: Int, $a: String) { store(id: $id) { stockAdjustments(first: $f, after: $a) {
  edges { cursor node { delta reason quantityBefore quantityAfter product { id } } } pageInfo { hasNextPage endCursor } } } }`;

describe("adjustStock and recordStockCount", () => {
  it("adjusts with a reason, once per idempotency key, and records before and after", async () => {
    const input = { storeId: YAMADA, productId: productId("NIP-005"), delta: -3, reason: "DAMAGED", note: "crushed box", idempotencyKey: "adj-1" };
    tick();
    const answers = await Promise.all([1, 2, 3].map(() => h.q(ADJUST, { i: input }, SHOP)));
    for (const a of answers) {
      expect(a.data).toEqual({
        adjustStock: {
          adjustment: { delta: -3, reason: "DAMAGED", quantityBefore: 40, quantityAfter: 37, note: "crushed box", recordedByKeyId: "key-yamada", product: { id: productId("NIP-005") } },
          stockItem: { quantity: 37 },
          userErrors: [],
        },
      });
    }
    expect(await quantity(YAMADA, "NIP-005")).toBe(37);
    tick();
    const returned = await h.q(ADJUST, { i: { ...input, delta: 1, reason: "RETURNED", note: null, idempotencyKey: "adj-2" } }, SHOP);
    expect((returned.data as any).adjustStock.stockItem).toEqual({ quantity: 38 });
  });

  it.each([
    ["a zero delta", { delta: 0 }, "INVALID_DELTA", ["input", "delta"]],
    ["a huge delta", { delta: 1_000_001 }, "INVALID_DELTA", ["input", "delta"]],
    ["the REPLENISHMENT reason", { reason: "REPLENISHMENT" }, "INVALID_REASON", ["input", "reason"]],
    ["a long note", { note: "x".repeat(501) }, "NOTE_TOO_LONG", ["input", "note"]],
    ["a malformed product id", { productId: "NIP-005" }, "UNKNOWN_PRODUCT", ["input", "productId"]],
    ["another retailer's store", { storeId: storeId("corner24-kanda") }, "STORE_NOT_FOUND", ["input", "storeId"]],
    ["a malformed store id", { storeId: "yamada" }, "STORE_NOT_FOUND", ["input", "storeId"]],
    ["more than the shelf holds", { delta: -41 }, "NEGATIVE_STOCK", ["input", "delta"]],
    ["taking from a product not stocked", { productId: productId("HAN-001"), delta: -1 }, "NEGATIVE_STOCK", ["input", "delta"]],
    ["a bad idempotency key", { idempotencyKey: "" }, "INVALID_IDEMPOTENCY_KEY", ["input", "idempotencyKey"]],
  ])("refuses %s and writes nothing", async (_, change, code, field) => {
    const before = await footprint();
    const input = { storeId: YAMADA, productId: productId("NIP-005"), delta: -1, reason: "THEFT", idempotencyKey: `bad-${code}-${JSON.stringify(change)}`.slice(0, 200), ...change };
    const res = await h.q(ADJUST, { i: input }, SHOP);
    expect(res.data).toEqual({ adjustStock: { adjustment: null, stockItem: null, userErrors: [{ code, field }] } });
    expect(await footprint()).toEqual(before);
  });

  it("needs inventory:write", async () => {
    const res = await h.q(ADJUST, { i: { storeId: YAMADA, productId: productId("NIP-005"), delta: 1, reason: "OTHER", idempotencyKey: "k" } }, key("yamada", ["inventory:read"]));
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("records a count: differences become COUNT_CORRECTION adjustments, confirmed figures none", async () => {
    const input = {
      storeId: YAMADA,
      counts: [
        { productId: productId("KIT-004"), counted: 5 }, // as recorded
        { productId: productId("HOK-003"), counted: 27 }, // 3 missing
        { productId: productId("HAN-001"), counted: 2 }, // found, not stocked before
      ],
      idempotencyKey: "count-1",
    };
    tick();
    const first = await h.q(COUNT, { i: input }, SHOP);
    const again = await h.q(COUNT, { i: input }, SHOP);
    expect(again.data).toEqual(first.data);
    const count = (first.data as any).recordStockCount;
    expect(count.userErrors).toEqual([]);
    expect(count.stockCount.lines).toEqual([
      { product: { id: productId("KIT-004") }, counted: 5, previousQuantity: 5, difference: 0 },
      { product: { id: productId("HOK-003") }, counted: 27, previousQuantity: 30, difference: -3 },
      { product: { id: productId("HAN-001") }, counted: 2, previousQuantity: 0, difference: 2 },
    ]);
    expect(count.stockCount.adjustments).toHaveLength(2);
    expect(count.stockCount.adjustments.every((a: any) => a.reason === "COUNT_CORRECTION")).toBe(true);
    expect([await quantity(YAMADA, "HOK-003"), await quantity(YAMADA, "HAN-001"), await quantity(YAMADA, "KIT-004")]).toEqual([27, 2, 5]);
  });

  it.each([
    ["no lines", { counts: [] }, "NO_LINES", ["input", "counts"]],
    ["a negative count", { counts: [{ productId: productId("KIT-004"), counted: -1 }] }, "INVALID_COUNT", ["input", "counts", "0", "counted"]],
    ["a duplicate product", { counts: [{ productId: productId("KIT-004"), counted: 1 }, { productId: productId("KIT-004"), counted: 2 }] }, "DUPLICATE_PRODUCT", ["input", "counts", "1", "productId"]],
    ["a malformed product", { counts: [{ productId: "x", counted: 1 }] }, "UNKNOWN_PRODUCT", ["input", "counts", "0", "productId"]],
    ["another retailer's store", { storeId: storeId("sato-jimbocho") }, "STORE_NOT_FOUND", ["input", "storeId"]],
  ])("refuses a count with %s and writes nothing", async (_, change, code, field) => {
    const before = await footprint();
    const input = { storeId: YAMADA, counts: [{ productId: productId("KIT-004"), counted: 1 }], idempotencyKey: `bad-count-${code}`, ...change };
    const res = await h.q(COUNT, { i: input }, SHOP);
    expect(res.data).toEqual({ recordStockCount: { stockCount: null, userErrors: [{ code, field }] } });
    expect(await footprint()).toEqual(before);
  });

  it("acts on the units for sale: a reservation takes units off the shelf, a count counts what is left", async () => {
    const orderId = "5b1d0e52-0c1e-4c3b-9a57-0d5e0b7c1a01";
    const reserved = await h.q(RESERVE, { o: orderId, l: [{ productId: productId("NIP-001"), storeId: YAMADA, quantity: 5 }] }, PAYMENTS);
    expect((reserved.data as any).reserveStock.ok).toBe(true);
    expect(await quantity(YAMADA, "NIP-001")).toBe(15);
    // Staff count the 15 on the shelf (the 5 bagged for the order are not for sale): nothing to correct.
    const res = await h.q(COUNT, { i: { storeId: YAMADA, counts: [{ productId: productId("NIP-001"), counted: 15 }], idempotencyKey: "count-after-reserve" } }, SHOP);
    expect((res.data as any).recordStockCount.stockCount.adjustments).toEqual([]);
  });

  it("lists the history newest first, keyset-paged, to the store's own keys", async () => {
    const page1 = (await h.q(HISTORY, { id: YAMADA, f: 2 }, SHOP)).data as any;
    const edges1 = page1.store.stockAdjustments.edges;
    expect(edges1.map((e: any) => e.node.reason)).toEqual(["COUNT_CORRECTION", "COUNT_CORRECTION"]);
    expect(page1.store.stockAdjustments.pageInfo.hasNextPage).toBe(true);
    const page2 = (await h.q(HISTORY, { id: YAMADA, f: 10, a: page1.store.stockAdjustments.pageInfo.endCursor }, SHOP)).data as any;
    expect(page2.store.stockAdjustments.edges.map((e: any) => [e.node.reason, e.node.delta])).toEqual([
      ["RETURNED", 1],
      ["DAMAGED", -3],
    ]);
    expect((await h.q(HISTORY, { id: YAMADA }, key("sato", ["inventory:read"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(HISTORY, { id: YAMADA, a: "forged" }, SHOP)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

const PLACE = `mutation($i: PlaceReplenishmentOrderInput!) { placeReplenishmentOrder(input: $i) {
  replenishmentOrder { id number status total { amount currency } expectedDeliveryOn store { name }
    lines { product { id } quantity unitCost { amount currency } total { amount } } events { status } }
  userErrors { code field } } }`;
const UPDATE = `mutation($i: UpdateReplenishmentOrderInput!) { updateReplenishmentOrder(input: $i) {
  replenishmentOrder { id status events { status note } } userErrors { code field } } }`;
const ORDERS = `query($id: ID!) { store(id: $id) { replenishmentOrders(first: 5) { edges { node { number status } } } } }`;
const price = (sku: string) => DEMO_PRODUCTS.find((p) => p.sku === sku)!.price;

describe("replenishment orders", () => {
  let orderId = "";

  it("an independent shop orders at the wholesale cost (60 % of the catalogue price, rounded down), once per key", async () => {
    const input = { storeId: YAMADA, lines: [{ productId: productId("OCE-001"), quantity: 25 }, { productId: productId("HOK-002"), quantity: 6 }], idempotencyKey: "ro-1" };
    const [a, b] = await Promise.all([h.q(PLACE, { i: input }, SHOP), h.q(PLACE, { i: input }, SHOP)]);
    expect(b.data).toEqual(a.data);
    const order = (a.data as any).placeReplenishmentOrder.replenishmentOrder;
    orderId = order.id;
    const oce = Math.floor((price("OCE-001") * 60) / 100);
    const hok = Math.floor((price("HOK-002") * 60) / 100);
    expect(order).toMatchObject({
      number: "RO-000001",
      status: "SUBMITTED",
      total: { amount: 25 * oce + 6 * hok, currency: "JPY" },
      expectedDeliveryOn: "2026-11-25",
      store: { name: "Yamada Shoten Kanda" },
      lines: [
        { product: { id: productId("OCE-001") }, quantity: 25, unitCost: { amount: oce, currency: "JPY" }, total: { amount: 25 * oce } },
        { product: { id: productId("HOK-002") }, quantity: 6, unitCost: { amount: hok, currency: "JPY" }, total: { amount: 6 * hok } },
      ],
      events: [{ status: "SUBMITTED" }],
    });
    expect(await count("replenishment_order")).toBe(1);
  });

  it.each([
    ["no lines", { lines: [] }, "NO_LINES", ["input", "lines"]],
    ["a zero quantity", { lines: [{ productId: productId("OCE-001"), quantity: 0 }] }, "INVALID_QUANTITY", ["input", "lines", "0", "quantity"]],
    ["a duplicate product", { lines: [{ productId: productId("OCE-001"), quantity: 1 }, { productId: productId("OCE-001"), quantity: 2 }] }, "DUPLICATE_PRODUCT", ["input", "lines", "1", "productId"]],
    ["an unknown product", { lines: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 1 }] }, "UNKNOWN_PRODUCT", ["input", "lines", "0", "productId"]],
    ["a malformed product", { lines: [{ productId: "OCE-001", quantity: 1 }] }, "UNKNOWN_PRODUCT", ["input", "lines", "0", "productId"]],
    ["another retailer's store", { storeId: storeId("sato-jimbocho") }, "STORE_NOT_FOUND", ["input", "storeId"]],
    ["a bad idempotency key", { idempotencyKey: " ".repeat(300) }, "INVALID_IDEMPOTENCY_KEY", ["input", "idempotencyKey"]],
  ])("refuses %s and writes nothing", async (name, change, code, field) => {
    const before = await footprint();
    const input = { storeId: YAMADA, lines: [{ productId: productId("OCE-001"), quantity: 1 }], idempotencyKey: `bad-ro-${name.replace(/\W/g, "-")}`, ...change };
    const res = await h.q(PLACE, { i: input }, SHOP);
    expect(res.data).toEqual({ placeReplenishmentOrder: { replenishmentOrder: null, userErrors: [{ code, field }] } });
    expect(await footprint()).toEqual(before);
  });

  it("refuses a store that is not independent (NOT_INDEPENDENT), even for the platform", async () => {
    const before = await footprint();
    const res = await h.q(PLACE, { i: { storeId: storeId("corner24-kanda"), lines: [{ productId: productId("OCE-001"), quantity: 1 }], idempotencyKey: "not-indep" } }, PLATFORM);
    expect((res.data as any).placeReplenishmentOrder.userErrors).toEqual([{ code: "NOT_INDEPENDENT", field: ["input", "storeId"] }]);
    expect(await footprint()).toEqual(before);
  });

  it("the shop may not confirm; the platform moves it along; DELIVERED adds the stock exactly once", async () => {
    const step = (status: string, idempotencyKey: string, caller = PLATFORM) => (tick(), h.q(UPDATE, { i: { orderId, status, idempotencyKey } }, caller));
    expect((await step("CONFIRMED", "s-0", SHOP)).data).toEqual({ updateReplenishmentOrder: { replenishmentOrder: null, userErrors: [{ code: "PLATFORM_ONLY", field: ["input", "status"] }] } });
    expect(((await step("DELIVERED", "s-1")).data as any).updateReplenishmentOrder.userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "status"] }]);
    for (const [status, k] of [["CONFIRMED", "s-2"], ["SHIPPED", "s-3"]] as const) {
      expect(((await step(status, k)).data as any).updateReplenishmentOrder.replenishmentOrder.status).toBe(status);
    }
    expect(((await step("CANCELLED", "s-4", SHOP)).data as any).updateReplenishmentOrder.userErrors[0].code).toBe("INVALID_TRANSITION");
    const [oce, hok] = [await quantity(YAMADA, "OCE-001"), await quantity(YAMADA, "HOK-002")];
    const delivered = await Promise.all(["s-5", "s-5", "s-6"].map((k) => step("DELIVERED", k)));
    for (const d of delivered) expect((d.data as any).updateReplenishmentOrder.replenishmentOrder.status).toBe("DELIVERED");
    expect([await quantity(YAMADA, "OCE-001"), await quantity(YAMADA, "HOK-002")]).toEqual([oce! + 25, (hok ?? 0) + 6]);
    const rows = await sql<{ reason: string; delta: number }>(`SELECT reason::text, delta FROM stores.stock_adjustment WHERE replenishment_order_id = $1 ORDER BY delta`, [orderId]);
    expect(rows).toEqual([{ reason: "REPLENISHMENT", delta: 6 }, { reason: "REPLENISHMENT", delta: 25 }]);
    const events = ((await step("DELIVERED", "s-7")).data as any).updateReplenishmentOrder.replenishmentOrder.events.map((e: any) => e.status);
    expect(events).toEqual(["SUBMITTED", "CONFIRMED", "SHIPPED", "DELIVERED"]);
  });

  it.each([
    ["a partner confirming", { status: "CONFIRMED" }, SHOP, "PLATFORM_ONLY", ["input", "status"]],
    ["going back", { status: "SHIPPED" }, PLATFORM, "INVALID_TRANSITION", ["input", "status"]],
    ["cancelling after delivery", { status: "CANCELLED" }, PLATFORM, "INVALID_TRANSITION", ["input", "status"]],
    ["a long note", { status: "DELIVERED", note: "x".repeat(501) }, PLATFORM, "NOTE_TOO_LONG", ["input", "note"]],
    ["an unknown order", { orderId: "00000000-0000-4000-8000-000000000000" }, PLATFORM, "ORDER_NOT_FOUND", ["input", "orderId"]],
    ["a malformed order id", { orderId: "RO-000001" }, PLATFORM, "ORDER_NOT_FOUND", ["input", "orderId"]],
    ["a bad idempotency key", { idempotencyKey: "" }, PLATFORM, "INVALID_IDEMPOTENCY_KEY", ["input", "idempotencyKey"]],
  ])("refuses an update with %s and writes nothing", async (name, change, caller, code, field) => {
    const before = await footprint();
    const input = { orderId, status: "CONFIRMED", idempotencyKey: `bad-up-${name.replace(/\W/g, "-")}`, ...change };
    const res = await h.q(UPDATE, { i: input }, caller);
    expect(res.data).toEqual({ updateReplenishmentOrder: { replenishmentOrder: null, userErrors: [{ code, field }] } });
    expect(await footprint()).toEqual(before);
  });

  it("a shop cancels before shipping; another shop's key finds no such order", async () => {
    tick();
    const placed = await h.q(PLACE, { i: { storeId: YAMADA, lines: [{ productId: productId("KIT-004"), quantity: 2 }], idempotencyKey: "ro-2" } }, SHOP);
    const id = (placed.data as any).placeReplenishmentOrder.replenishmentOrder.id;
    const sato = key("sato", ["replenishment:write"]);
    expect(((await h.q(UPDATE, { i: { orderId: id, status: "CANCELLED", idempotencyKey: "c-1" } }, sato)).data as any).updateReplenishmentOrder.userErrors[0].code).toBe("ORDER_NOT_FOUND");
    const cancelled = await h.q(UPDATE, { i: { orderId: id, status: "CANCELLED", note: "ordered twice", idempotencyKey: "c-2" } }, SHOP);
    expect((cancelled.data as any).updateReplenishmentOrder.replenishmentOrder.events).toEqual([
      { status: "SUBMITTED", note: null },
      { status: "CANCELLED", note: "ordered twice" },
    ]);
    const list = await h.q(ORDERS, { id: YAMADA }, SHOP);
    expect((list.data as any).store.replenishmentOrders.edges.map((e: any) => e.node)).toEqual([
      { number: "RO-000002", status: "CANCELLED" },
      { number: "RO-000001", status: "DELIVERED" },
    ]);
    expect((await h.q(ORDERS, { id: YAMADA }, key("sato", ["replenishment:write"]))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
