import { demoRetailerId, demoStoreId } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, product, rowCount, setStock, stockOf, type CheckoutAnswer } from "./commerce.ts";
import { startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Pop-ups (issue 6): open only between their dates — availability, pickup slots and checkout say so through the
// gateway — and their remaining stock goes back to a named store of the retailer, nothing lost.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

// Today is in neither summer pop-up's dates (2027-07-01..08-31); Harajuku trades 2026-10-01..2027-03-31.
const ODAIBA = demoStoreId("hoshi-popup-odaiba");
const HARAJUKU = demoStoreId("lumen-popup-harajuku");
const SHOWROOM = demoStoreId("lumen-omotesando");
const GINZA = demoStoreId("hoshi-ginza");
const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const codes = (res: { errors?: { extensions?: { code?: unknown } }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

describe("pop-up dates", () => {
  const AVAILABILITY = `query($p: ID!, $near: GeoPointInput!) { product(id: $p) { availability(near: $near, radiusKm: 3, first: 50) { store { id } quantity } } }`;
  const SLOTS = `query($s: ID!, $d: Date!) { store(id: $s) { isOpenOn(date: $d) pickupSlots(date: $d) { id } } }`;

  it("availability never lists a pop-up outside its dates, even holding stock; one within its dates is listed", async () => {
    const item = product((p) => p.sku === "NIP-001");
    await setStock(t, "hoshi-popup-odaiba", item.id, 40);
    await setStock(t, "lumen-popup-harajuku", item.id, 7);
    const atOdaiba = await t.query(AVAILABILITY, { p: item.id, near: { lat: 35.6251, lng: 139.7756 } });
    expect(atOdaiba.errors).toBeUndefined();
    expect(atOdaiba.data!.product.availability.map((a: { store: { id: string } }) => a.store.id)).not.toContain(ODAIBA);
    const atHarajuku = await t.query(AVAILABILITY, { p: item.id, near: { lat: 35.6702, lng: 139.7027 } });
    expect(atHarajuku.data!.product.availability).toContainEqual({ store: { id: HARAJUKU }, quantity: 7 });
  });

  it("pickup slots are empty outside the dates and offered inside them", async () => {
    const tomorrow = tomorrowInTokyo();
    const odaiba = await t.query(SLOTS, { s: ODAIBA, d: tomorrow });
    expect(odaiba.data!.store).toEqual({ isOpenOn: false, pickupSlots: [] });
    // Within Odaiba's dates, but beyond the 30-day booking horizon: still empty, and open that day.
    const summer = await t.query(SLOTS, { s: ODAIBA, d: "2027-07-15" });
    expect(summer.data!.store.isOpenOn).toBe(true);
    const harajuku = await t.query(SLOTS, { s: HARAJUKU, d: tomorrow });
    expect(harajuku.data!.store.isOpenOn).toBe(true);
    expect(harajuku.data!.store.pickupSlots.length).toBeGreaterThan(0);
  });

  it("checkout from or for pickup at a pop-up outside its dates is refused and writes nothing", async () => {
    const item = product((p) => p.sku === "NIP-001");
    await setStock(t, "hoshi-popup-odaiba", item.id, 40);
    const ginzaSlot = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
    // (A pickup slot held before the stock was refused is given back: its row stays, CANCELLED.)
    const before = { orders: await rowCount(t, "payments.customer_order"), holds: await rowCount(t, "stores.stock_reservation"), fulfilments: await rowCount(t, "logistics.fulfillment", "status <> 'CANCELLED'") };
    const attempts: [Record<string, unknown>, string][] = [
      [{ channel: "IN_STORE_SCAN", lines: [{ productId: item.id, storeId: ODAIBA, quantity: 1 }] }, "STORE_CANNOT_SELL"],
      [{ channel: "APP", lines: [{ productId: item.id, storeId: ODAIBA, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: GINZA, slotId: ginzaSlot } }, "STORE_CANNOT_SELL"],
      // No slot exists there: a Ginza slot id is refused for Odaiba before any stock is looked at.
      [{ channel: "APP", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: ODAIBA, slotId: ginzaSlot } }, "SLOT_UNKNOWN"],
    ];
    for (const [input, code] of attempts) {
      const res = await t.query<CheckoutAnswer>(CHECKOUT, { input: { ...input, idempotencyKey: randomUUID() } }, t.as("wei"));
      expect(res.data!.checkout.order).toBeNull();
      expect(res.data!.checkout.userErrors.map((e) => e.code)).toEqual([code]);
    }
    expect({ orders: await rowCount(t, "payments.customer_order"), holds: await rowCount(t, "stores.stock_reservation"), fulfilments: await rowCount(t, "logistics.fulfillment", "status <> 'CANCELLED'") }).toEqual(before);
    expect(await stockOf(t, "hoshi-popup-odaiba", item.id)).toBe(40);
  });
});

describe("transferPopUpStock", () => {
  const TRANSFER = `mutation($i: TransferPopUpStockInput!) { transferPopUpStock(input: $i) {
    transfer { id from { id } to { id } lines { product { id } quantity } } userErrors { code field } } }`;
  const shelf = async (storeId: string) =>
    new Map((await t.sql<{ product_id: string; quantity: number }>(`SELECT product_id, quantity FROM stores.stock WHERE store_id = $1`, [storeId])).map((r) => [r.product_id, r.quantity]));
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  it("moves every remaining unit to the named store, keeps held units with their order, and replays move nothing", async () => {
    const a = product((p) => p.sku === "ATE-005");
    const b = product((p) => p.sku === "KUM-003");
    await setStock(t, "lumen-popup-harajuku", a.id, 6);
    await setStock(t, "lumen-popup-harajuku", b.id, 3);
    // A member buys 2 of b at the pop-up: those units are held for the order, off the shelf.
    const held = await t.query<CheckoutAnswer>(CHECKOUT, { input: { channel: "IN_STORE_SCAN", lines: [{ productId: b.id, storeId: HARAJUKU, quantity: 2 }], idempotencyKey: randomUUID() } }, t.as("aiko"));
    expect(held.data!.checkout.userErrors).toEqual([]);
    const orderId = held.data!.checkout.order!.id;

    const fromBefore = await shelf(HARAJUKU);
    const toBefore = await shelf(SHOWROOM);
    const products = new Set([...fromBefore.keys()]);
    const lumen = await t.key(["inventory:write"], "lumen");
    const input = { fromStoreId: HARAJUKU, toStoreId: SHOWROOM, idempotencyKey: "harajuku-closing" };
    const res = await t.query(TRANSFER, { i: input }, lumen.headers);
    expect(res.errors).toBeUndefined();
    const { transfer, userErrors } = res.data!.transferPopUpStock;
    expect(userErrors).toEqual([]);
    expect(transfer).toMatchObject({ from: { id: HARAJUKU }, to: { id: SHOWROOM } });
    const moved = new Map<string, number>(transfer.lines.map((l: { product: { id: string }; quantity: number }) => [l.product.id, l.quantity]));
    expect(moved.get(a.id)).toBe(6);
    expect(moved.get(b.id)).toBe(1); // 3 − 2 held
    expect(sum(moved)).toBe(sum(fromBefore));
    expect([...moved.keys()].sort()).toEqual([...fromBefore].filter(([, q]) => q > 0).map(([p]) => p).sort());

    // Nothing lost: per product, pop-up + destination before = after; the pop-up's shelf is empty.
    const fromAfter = await shelf(HARAJUKU);
    const toAfter = await shelf(SHOWROOM);
    for (const p of products) expect((fromAfter.get(p) ?? 0) + (toAfter.get(p) ?? 0), p).toBe((fromBefore.get(p) ?? 0) + (toBefore.get(p) ?? 0));
    expect(sum(fromAfter)).toBe(0);
    // The held units stay with the order.
    expect(await t.sql(`SELECT r.status::text, l.quantity, l.store_id::text FROM stores.stock_reservation r JOIN stores.stock_reservation_line l USING (order_id) WHERE r.order_id = $1`, [orderId])).toEqual([
      { status: "HELD", quantity: 2, store_id: HARAJUKU },
    ]);
    expect(await rowCount(t, "stores.stock_transfer_line", "transfer_id = $1", [transfer.id])).toBe(moved.size);

    // A replay answers the same transfer and moves nothing more; a new key finds nothing to move.
    const replay = await t.query(TRANSFER, { i: input }, lumen.headers);
    expect(replay.data).toEqual(res.data);
    expect(await shelf(SHOWROOM)).toEqual(toAfter);
    expect(await rowCount(t, "stores.stock_transfer", "from_store_id = $1", [HARAJUKU])).toBe(1);
    const again = await t.query(TRANSFER, { i: { ...input, idempotencyKey: "harajuku-again" } }, lumen.headers);
    expect(again.data!.transferPopUpStock).toEqual({ transfer: null, userErrors: [{ code: "NOTHING_TO_TRANSFER", field: ["input", "fromStoreId"] }] });
    expect(await shelf(SHOWROOM)).toEqual(toAfter);
  });

  it("moves a pop-up's stock outside its dates too (Odaiba → Ginza), with a platform key", async () => {
    const item = product((p) => p.sku === "SOR-001");
    await setStock(t, "hoshi-popup-odaiba", item.id, 9);
    const before = (await stockOf(t, "hoshi-popup-odaiba", item.id)) + (await stockOf(t, "hoshi-ginza", item.id));
    const totalBefore = sum(await shelf(ODAIBA)) + sum(await shelf(GINZA));
    const res = await t.query(TRANSFER, { i: { fromStoreId: ODAIBA, toStoreId: GINZA, idempotencyKey: randomUUID() } }, (await t.key(["inventory:write"])).headers);
    expect(res.data!.transferPopUpStock.userErrors).toEqual([]);
    expect(await stockOf(t, "hoshi-popup-odaiba", item.id)).toBe(0);
    expect(await stockOf(t, "hoshi-ginza", item.id)).toBe(before);
    expect(sum(await shelf(ODAIBA))).toBe(0);
    expect(sum(await shelf(ODAIBA)) + sum(await shelf(GINZA))).toBe(totalBefore);
  });

  it("refuses bad input with stable codes and moves nothing", async () => {
    const item = product((p) => p.sku === "SOR-002");
    await setStock(t, "hoshi-popup-odaiba", item.id, 5);
    // A second Hoshi pop-up to try as a destination.
    const otherPopUp = randomUUID();
    await t.sql(
      `INSERT INTO stores.store (id, retailer_id, name, format, address_line1, city, country, lat, lng, pop_up_opens_on, pop_up_closes_on)
       VALUES ($1, $2, 'Hoshi Winter Pop-up', 'POP_UP', '1-1 Test', 'Tokyo', 'JP', 35.6, 139.7, '2026-12-01', '2026-12-31')`,
      [otherPopUp, demoRetailerId("hoshi")],
    );
    const hoshi = await t.key(["inventory:write"], "hoshi");
    const platform = await t.key(["inventory:write"]);
    const cases: [Record<string, string>, Record<string, string>, string, string[]][] = [
      [{ fromStoreId: GINZA, toStoreId: demoStoreId("hoshi-shibuya") }, hoshi.headers, "NOT_A_POP_UP", ["input", "fromStoreId"]],
      [{ fromStoreId: ODAIBA, toStoreId: ODAIBA }, hoshi.headers, "SAME_STORE", ["input", "toStoreId"]],
      [{ fromStoreId: ODAIBA, toStoreId: demoStoreId("meridian-nihonbashi") }, platform.headers, "DIFFERENT_RETAILER", ["input", "toStoreId"]],
      [{ fromStoreId: ODAIBA, toStoreId: otherPopUp }, hoshi.headers, "INVALID_DESTINATION", ["input", "toStoreId"]],
      [{ fromStoreId: ODAIBA, toStoreId: UNKNOWN }, hoshi.headers, "STORE_NOT_FOUND", ["input", "toStoreId"]],
      [{ fromStoreId: "nope", toStoreId: GINZA }, hoshi.headers, "STORE_NOT_FOUND", ["input", "fromStoreId"]],
      // Another retailer's stores answer like unknown ones (no existence leak).
      [{ fromStoreId: ODAIBA, toStoreId: demoStoreId("meridian-nihonbashi") }, hoshi.headers, "STORE_NOT_FOUND", ["input", "toStoreId"]],
      [{ fromStoreId: ODAIBA, toStoreId: GINZA }, (await t.key(["inventory:write"], "meridian")).headers, "STORE_NOT_FOUND", ["input", "fromStoreId"]],
    ];
    const stockBefore = await t.sql(`SELECT store_id, product_id, quantity FROM stores.stock ORDER BY 1, 2`);
    const transfers = await rowCount(t, "stores.stock_transfer");
    for (const [input, headers, code, field] of cases) {
      const res = await t.query(TRANSFER, { i: { ...input, idempotencyKey: randomUUID() } }, headers);
      expect(res.data!.transferPopUpStock, code).toEqual({ transfer: null, userErrors: [{ code, field }] });
    }
    const badKey = await t.query(TRANSFER, { i: { fromStoreId: ODAIBA, toStoreId: GINZA, idempotencyKey: "" } }, hoshi.headers);
    expect(badKey.data!.transferPopUpStock.userErrors).toEqual([{ code: "INVALID_IDEMPOTENCY_KEY", field: ["input", "idempotencyKey"] }]);
    for (const headers of [(await t.key(["inventory:read"], "hoshi")).headers, t.as("aiko")]) {
      expect(codes(await t.query(TRANSFER, { i: { fromStoreId: ODAIBA, toStoreId: GINZA, idempotencyKey: randomUUID() } }, headers))).toEqual(["FORBIDDEN"]);
    }
    expect(codes(await t.query(TRANSFER, { i: { fromStoreId: ODAIBA, toStoreId: GINZA, idempotencyKey: randomUUID() } }))).toEqual(["UNAUTHENTICATED"]);
    expect(await t.sql(`SELECT store_id, product_id, quantity FROM stores.stock ORDER BY 1, 2`)).toEqual(stockBefore);
    expect(await rowCount(t, "stores.stock_transfer")).toBe(transfers);
  });
});
