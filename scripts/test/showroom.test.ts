import { demoStoreId } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, PAY, freeSlot, product, rowCount, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// Display-only showroom (issue 6): display stock is never sold, "buy online" credits the showroom, visits and the
// offline→online conversion figures — all through the gateway over HTTP.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const SHOWROOM = demoStoreId("lumen-omotesando");
const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const todayInTokyo = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
const codes = (res: { errors?: { extensions?: { code?: unknown } }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

const CONVERSION = `query($id: ID!, $from: Date!, $to: Date!) { store(id: $id) { conversion(from: $from, to: $to) {
  from to visits identifiedVisits identifiedMembers ordersAttributed conversionRate revenueAttributed { amount currency } } } }`;
const conversion = async (from: string, to: string, headers?: Record<string, string>, id = SHOWROOM) => {
  const res = await t.query(CONVERSION, { id, from, to }, headers ?? (await t.key(["analytics:read"])).headers);
  return { figures: res.data?.store?.conversion ?? null, codes: codes(res) };
};

/** Rows a refused checkout must not have written. */
const footprint = async () => ({
  orders: await rowCount(t, "payments.customer_order"),
  reservations: await rowCount(t, "stores.stock_reservation"),
  fulfilments: await rowCount(t, "logistics.fulfillment"),
  showroomStock: await t.sql(`SELECT product_id, quantity FROM stores.stock WHERE store_id = $1 ORDER BY product_id`, [SHOWROOM]),
});

describe("showroom conversion figures", () => {
  it("October 2026 matches the hand-computed expectation from the seed", async () => {
    // Door counts: 22 weekdays × 40 + 9 weekend days × 70 (10 Oct reported hourly, also 70) = 1,510.
    // Check-ins: aiko 3rd and 10th, wei 3rd, sofia 17th = 4 visits by 3 members.
    // Orders credited to the showroom, counted when AUTHORIZED / PAID / COMPLETED, placed 1–31 Oct in Tokyo:
    // Canvas Tote 6,600 + Cashmere Scarf 24,200 + Hyaluronic Essence 5,500 + Barrier Mist 2,640 + Denim Jacket 39,600
    // + 2 × Leather Card Case 26,400 = 104,940 JPY in 5 orders (a cancelled, a refunded one, and one placed 00:10 on
    // 1 Nov in Tokyo do not count).
    const { figures, codes: errors } = await conversion("2026-10-01", "2026-10-31");
    expect(errors).toEqual([]);
    expect(figures).toEqual({
      from: "2026-10-01",
      to: "2026-10-31",
      visits: 1510,
      identifiedVisits: 4,
      identifiedMembers: 3,
      ordersAttributed: 5,
      conversionRate: 5 / 1510,
      revenueAttributed: { amount: 104_940, currency: "JPY" },
    });
  });

  it("one more day each side adds the neighbours' counts, check-in and the 1 November order", async () => {
    const { figures } = await conversion("2026-09-30", "2026-11-01");
    expect(figures).toMatchObject({ visits: 1510 + 2 * 999, identifiedVisits: 5, identifiedMembers: 3, ordersAttributed: 6, revenueAttributed: { amount: 104_940 + 4_400 } });
  });

  it("a day without visits has a null rate; a store with nothing attributed has no revenue", async () => {
    const { figures } = await conversion("2026-01-01", "2026-01-31", undefined, demoStoreId("corner24-kanda"));
    expect(figures).toMatchObject({ visits: 0, ordersAttributed: 0, conversionRate: null, revenueAttributed: null });
  });

  it("is bound to the key's retailer and its scope; bad ranges are BAD_USER_INPUT", async () => {
    expect((await conversion("2026-10-01", "2026-10-31", (await t.key(["analytics:read"], "lumen")).headers)).figures).toMatchObject({ ordersAttributed: 5 });
    const foreign = await conversion("2026-10-01", "2026-10-31", (await t.key(["analytics:read"], "hoshi")).headers);
    expect(foreign).toEqual({ figures: null, codes: ["FORBIDDEN"] });
    expect((await conversion("2026-10-01", "2026-10-31", (await t.key(["inventory:read"])).headers)).codes).toEqual(["FORBIDDEN"]);
    expect((await conversion("2026-10-01", "2026-10-31", t.as("aiko"))).codes).toEqual(["FORBIDDEN"]);
    expect((await conversion("2026-10-31", "2026-10-01")).codes).toEqual(["BAD_USER_INPUT"]);
    expect((await conversion("2025-10-01", "2026-10-02")).codes).toEqual(["BAD_USER_INPUT"]);
    expect((await conversion("2025-10-01", "2026-09-30")).codes).toEqual([]); // exactly 366 days
    expect((await conversion("2026-10-32", "2026-10-31")).codes).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("display stock", () => {
  it("is set with setStockLevel, listed in Store.stock and flagged display-only", async () => {
    const item = product((p) => p.sku === "KUM-002");
    const lumen = await t.key(["inventory:write", "inventory:read"], "lumen");
    const set = await t.query(
      `mutation($i: SetStockLevelInput!) { setStockLevel(input: $i) { stockItem { quantity displayOnly } userErrors { code } } }`,
      { i: { storeId: SHOWROOM, productId: item.id, quantity: 2 } },
      lumen.headers,
    );
    expect(set.data!.setStockLevel).toEqual({ stockItem: { quantity: 2, displayOnly: true }, userErrors: [] });
    const listed = await t.query(`query($id: ID!) { store(id: $id) { displayOnly stock(first: 100) { edges { node { product { id } quantity displayOnly } } } } }`, { id: SHOWROOM }, lumen.headers);
    expect(listed.data!.store.displayOnly).toBe(true);
    const rows = listed.data!.store.stock.edges.map((e: { node: unknown }) => e.node);
    expect(rows).toContainEqual({ product: { id: item.id }, quantity: 2, displayOnly: true });
    expect(rows.every((r: { displayOnly: boolean }) => r.displayOnly)).toBe(true);
    const ginza = await t.query(`query($id: ID!) { store(id: $id) { displayOnly stock(first: 1) { edges { node { displayOnly } } } } }`, { id: demoStoreId("hoshi-ginza") }, (await t.key(["inventory:read"])).headers);
    expect(ginza.data!.store).toEqual({ displayOnly: false, stock: { edges: [{ node: { displayOnly: false } }] } });
  });

  it("is never reserved or sold: every checkout taking stock from the showroom is DISPLAY_ONLY and writes nothing", async () => {
    const item = product((p) => p.sku === "KUM-001");
    await setStock(t, "lumen-omotesando", item.id, 3);
    const slot = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
    const line = { productId: item.id, storeId: SHOWROOM, quantity: 1 };
    const address = { recipient: "Aiko Tanaka", line1: "1-2-3 Jingumae", city: "Tokyo", postalCode: "150-0001", country: "JP", lat: 35.668, lng: 139.709 };
    const attempts: [string, Record<string, unknown>, string[]][] = [
      ["IN_STORE_SCAN", { channel: "IN_STORE_SCAN", lines: [line] }, ["input", "lines", "0", "storeId"]],
      ["CHECKOUT_FREE", { channel: "CHECKOUT_FREE", lines: [line] }, ["input", "lines", "0", "storeId"]],
      ["APP, picked up at the showroom", { channel: "APP", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: SHOWROOM, slotId: slot } }, ["input", "fulfillment", "storeId"]],
      ["ONLINE, showroom line picked up elsewhere", { channel: "ONLINE", lines: [line], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId: slot } }, ["input", "lines", "0", "storeId"]],
      ["ONLINE, showroom line delivered", { channel: "ONLINE", lines: [line], fulfillment: { type: "HOME_DELIVERY", address } }, ["input", "lines", "0", "storeId"]],
      ["PARTNER_AGENCY, second line", { channel: "PARTNER_AGENCY", lines: [{ productId: item.id, storeId: demoStoreId("hoshi-ginza"), quantity: 1 }, line], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId: slot } }, ["input", "lines", "1", "storeId"]],
    ];
    const before = await footprint();
    for (const [name, input, field] of attempts) {
      const res = await t.query<CheckoutAnswer>(CHECKOUT, { input: { ...input, idempotencyKey: randomUUID() } }, t.as("aiko"));
      expect(res.errors, name).toBeUndefined();
      expect(res.data!.checkout.order, name).toBeNull();
      expect(res.data!.checkout.userErrors.map((e) => [e.code, e.field]), name).toEqual([["DISPLAY_ONLY", field]]);
    }
    expect(await footprint()).toEqual(before);
    expect(await stockOf(t, "lumen-omotesando", item.id)).toBe(3);
  });
});

describe("buy online from the showroom", () => {
  const OFFER = `query($p: ID!, $s: ID!, $r: Float, $f: Int) { product(id: $p) { showroomOffer(showroomId: $s, radiusKm: $r, first: $f) {
    showroom { id } displayed homeDelivery pickupStores { store { id format capabilities } quantity distanceKm } } } }`;

  it("offers the nearest stores that sell it and have it, never a showroom, and home delivery", async () => {
    const item = product((p) => p.sku === "ATE-001");
    await setStock(t, "lumen-omotesando", item.id, 1);
    await setStock(t, "hoshi-shibuya", item.id, 4);
    await setStock(t, "hoshi-ginza", item.id, 2);
    const res = await t.query(OFFER, { p: item.id, s: SHOWROOM, r: 10, f: 3 });
    expect(res.errors).toBeUndefined();
    const offer = res.data!.product.showroomOffer;
    expect(offer).toMatchObject({ showroom: { id: SHOWROOM }, displayed: true, homeDelivery: true });
    expect(offer.pickupStores.length).toBeGreaterThan(0);
    expect(offer.pickupStores.length).toBeLessThanOrEqual(3);
    for (const row of offer.pickupStores) {
      expect(row.store.format).not.toBe("SHOWROOM");
      expect(row.store.capabilities).toContain("PICKUP");
      expect(row.store.capabilities).not.toContain("DISPLAY_ONLY");
      expect(row.quantity).toBeGreaterThan(0);
      expect(row.distanceKm).toBeLessThanOrEqual(10);
    }
    const distances = offer.pickupStores.map((r: { distanceKm: number }) => r.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Hoshi Shibuya (4 units) is about 1.2 km from the showroom: the nearest.
    expect(offer.pickupStores[0].store.id).toBe(demoStoreId("hoshi-shibuya"));

    await setStock(t, "lumen-omotesando", item.id, 0);
    expect((await t.query(OFFER, { p: item.id, s: SHOWROOM })).data!.product.showroomOffer.displayed).toBe(false);
  });

  it("is null for a store that is not a showroom; a malformed id or bad bounds are BAD_USER_INPUT", async () => {
    const item = product((p) => p.sku === "ATE-001");
    expect((await t.query(OFFER, { p: item.id, s: demoStoreId("hoshi-ginza") })).data!.product.showroomOffer).toBeNull();
    expect((await t.query(OFFER, { p: item.id, s: UNKNOWN })).data!.product.showroomOffer).toBeNull();
    expect(codes(await t.query(OFFER, { p: item.id, s: "nope" }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.query(OFFER, { p: item.id, s: SHOWROOM, r: 0 }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.query(OFFER, { p: item.id, s: SHOWROOM, f: 51 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("a checkout crediting the showroom, paid through the gateway, counts in the showroom's figures for its day", async () => {
    const item = product((p) => p.sku === "ATE-004");
    await setStock(t, "hoshi-shibuya", item.id, 5);
    const today = todayInTokyo();
    const before = (await conversion(today, today)).figures;
    const slot = await freeSlot(t, "hoshi-shibuya", tomorrowInTokyo());
    const input = { channel: "ONLINE", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-shibuya"), slotId: slot }, attributedStoreId: SHOWROOM, idempotencyKey: randomUUID() };
    const placed = await t.query<CheckoutAnswer>(CHECKOUT, { input }, t.as("sofia"));
    expect(placed.data!.checkout.userErrors).toEqual([]);
    const order = placed.data!.checkout.order!;
    // Unpaid, it does not count yet.
    expect((await conversion(today, today)).figures).toMatchObject({ ordersAttributed: before.ordersAttributed });
    const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: randomUUID() } }, t.as("sofia"));
    expect(paid.data!.payOrder.userErrors).toEqual([]);
    const read = await t.query(`query($id: ID!) { order(id: $id) { attributedStore { id } lines { store { id } } } }`, { id: order.id }, t.as("sofia"));
    expect(read.data!.order).toEqual({ attributedStore: { id: SHOWROOM }, lines: [{ store: { id: demoStoreId("hoshi-shibuya") } }] });
    const after = (await conversion(today, today)).figures;
    expect(after.ordersAttributed).toBe(before.ordersAttributed + 1);
    expect(after.revenueAttributed).toEqual({ amount: (before.revenueAttributed?.amount ?? 0) + item.price, currency: "JPY" });
    // The selling store's retailer reads the order; the showroom's does not (documented).
    const ORDER = `query($id: ID!) { order(id: $id) { id } }`;
    expect((await t.query(ORDER, { id: order.id }, (await t.key(["orders:read"], "hoshi")).headers)).data!.order).toEqual({ id: order.id });
    expect((await t.query(ORDER, { id: order.id }, (await t.key(["orders:read"], "lumen")).headers)).data!.order).toBeNull();
    // The stock came from Hoshi Shibuya.
    expect(await stockOf(t, "hoshi-shibuya", item.id)).toBe(4);
  });

  it("refuses an unknown or malformed attributedStoreId with UNKNOWN_STORE and writes nothing", async () => {
    const item = product((p) => p.sku === "ATE-004");
    await setStock(t, "hoshi-akihabara", item.id, 5);
    const before = await footprint();
    for (const attributedStoreId of [UNKNOWN, "not-a-store"]) {
      const input = { channel: "IN_STORE_SCAN", lines: [{ productId: item.id, storeId: demoStoreId("hoshi-akihabara"), quantity: 1 }], attributedStoreId, idempotencyKey: randomUUID() };
      const res = await t.query<CheckoutAnswer>(CHECKOUT, { input }, t.as("wei"));
      expect(res.data!.checkout).toMatchObject({ order: null, userErrors: [{ code: "UNKNOWN_STORE", field: ["input", "attributedStoreId"] }] });
    }
    expect(await footprint()).toEqual(before);
    expect(await stockOf(t, "hoshi-akihabara", item.id)).toBe(5);
  });
});

describe("visits", () => {
  const RECORD = `mutation($i: RecordStoreVisitsInput!) { recordStoreVisits(input: $i) {
    visitCount { store { id } date hour count } userErrors { code field } } }`;
  const visitRows = () => t.sql(`SELECT store_id, visit_date::text, hour, count FROM stores.store_visit_count ORDER BY 1, 2, 3`);

  it("records a door count idempotently; the same window again replaces it; the figures follow", async () => {
    const writer = await t.key(["visits:write"], "lumen");
    const date = "2026-11-02";
    const i = { storeId: SHOWROOM, date, hour: 14, count: 12, idempotencyKey: "door-1" };
    const first = await t.query(RECORD, { i }, writer.headers);
    expect(first.data!.recordStoreVisits).toEqual({ visitCount: { store: { id: SHOWROOM }, date, hour: 14, count: 12 }, userErrors: [] });
    const replay = await t.query(RECORD, { i }, writer.headers);
    expect(replay.data).toEqual(first.data);
    expect(await rowCount(t, "stores.store_visit_count", "store_id = $1 AND visit_date = $2", [SHOWROOM, date])).toBe(1);
    await t.query(RECORD, { i: { ...i, hour: 15, count: 9, idempotencyKey: "door-2" } }, writer.headers);
    await t.query(RECORD, { i: { ...i, count: 13, idempotencyKey: "door-3" } }, writer.headers);
    expect((await conversion(date, date)).figures).toMatchObject({ visits: 22 });
    // The same key for another report: refused, nothing changes.
    const reused = await t.query(RECORD, { i: { ...i, count: 99 } }, writer.headers);
    expect(codes(reused)).toEqual(["BAD_USER_INPUT"]);
    expect((await conversion(date, date)).figures).toMatchObject({ visits: 22 });
  });

  it("refuses bad input with stable codes and writes nothing", async () => {
    const writer = await t.key(["visits:write"], "lumen");
    const ok = { storeId: SHOWROOM, date: "2026-11-03", count: 10 };
    const tomorrow = tomorrowInTokyo();
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ ...ok, count: -1 }, "INVALID_COUNT", ["input", "count"]],
      [{ ...ok, count: 100_001 }, "INVALID_COUNT", ["input", "count"]],
      [{ ...ok, hour: 24 }, "INVALID_HOUR", ["input", "hour"]],
      [{ ...ok, hour: -1 }, "INVALID_HOUR", ["input", "hour"]],
      [{ ...ok, date: tomorrow }, "DATE_IN_FUTURE", ["input", "date"]],
      [{ ...ok, date: "2025-01-01" }, "DATE_TOO_OLD", ["input", "date"]],
      [{ ...ok, storeId: UNKNOWN }, "STORE_NOT_FOUND", ["input", "storeId"]],
      [{ ...ok, storeId: "nope" }, "STORE_NOT_FOUND", ["input", "storeId"]],
      [{ ...ok, storeId: demoStoreId("hoshi-ginza") }, "STORE_NOT_FOUND", ["input", "storeId"]],
      [{ ...ok, date: "2026-10-05", hour: 12 }, "WINDOW_CONFLICT", ["input", "hour"]],
      [{ ...ok, date: "2026-10-10" }, "WINDOW_CONFLICT", ["input", "hour"]],
    ];
    const before = await visitRows();
    for (const [input, code, field] of cases) {
      const res = await t.query(RECORD, { i: { ...input, idempotencyKey: randomUUID() } }, writer.headers);
      expect(res.data!.recordStoreVisits, code).toEqual({ visitCount: null, userErrors: [{ code, field }] });
    }
    const badKey = await t.query(RECORD, { i: { ...ok, idempotencyKey: "" } }, writer.headers);
    expect(badKey.data!.recordStoreVisits.userErrors).toEqual([{ code: "INVALID_IDEMPOTENCY_KEY", field: ["input", "idempotencyKey"] }]);
    for (const headers of [(await t.key(["inventory:write"], "lumen")).headers, t.as("aiko")]) {
      const res = await t.query(RECORD, { i: { ...ok, idempotencyKey: randomUUID() } }, headers);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
    }
    expect(codes(await t.query(RECORD, { i: { ...ok, idempotencyKey: randomUUID() } }))).toEqual(["UNAUTHENTICATED"]);
    expect(await visitRows()).toEqual(before);
    // A platform key may record for any store.
    const platform = await t.key(["visits:write"]);
    const res = await t.query(RECORD, { i: { ...ok, storeId: demoStoreId("hoshi-ginza"), idempotencyKey: randomUUID() } }, platform.headers);
    expect(res.data!.recordStoreVisits.userErrors).toEqual([]);
  });

  it("counts a member's app check-in once per store and day", async () => {
    const CHECK_IN = `mutation($s: ID!) { checkInAtStore(storeId: $s) { checkIn { store { id } date checkedInAt } firstToday userErrors { code field } } }`;
    const today = todayInTokyo();
    const before = (await conversion(today, today)).figures;
    const first = await t.query(CHECK_IN, { s: SHOWROOM }, t.as("minh"));
    expect(first.data!.checkInAtStore).toMatchObject({ checkIn: { store: { id: SHOWROOM }, date: today }, firstToday: true, userErrors: [] });
    const again = await t.query(CHECK_IN, { s: SHOWROOM }, t.as("minh"));
    expect(again.data!.checkInAtStore).toEqual({ ...first.data!.checkInAtStore, firstToday: false });
    expect((await conversion(today, today)).figures).toMatchObject({ identifiedVisits: before.identifiedVisits + 1, identifiedMembers: before.identifiedMembers + 1 });

    const rows = await rowCount(t, "stores.store_check_in");
    expect((await t.query(CHECK_IN, { s: UNKNOWN }, t.as("minh"))).data!.checkInAtStore).toEqual({ checkIn: null, firstToday: null, userErrors: [{ code: "UNKNOWN_STORE", field: ["storeId"] }] });
    expect((await t.query(CHECK_IN, { s: "nope" }, t.as("minh"))).data!.checkInAtStore.userErrors).toEqual([{ code: "UNKNOWN_STORE", field: ["storeId"] }]);
    expect((await t.query(CHECK_IN, { s: demoStoreId("hoshi-popup-odaiba") }, t.as("minh"))).data!.checkInAtStore.userErrors).toEqual([{ code: "STORE_CLOSED", field: ["storeId"] }]);
    expect(codes(await t.query(CHECK_IN, { s: SHOWROOM }, (await t.key(["visits:write"])).headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.query(CHECK_IN, { s: SHOWROOM }))).toEqual(["UNAUTHENTICATED"]);
    expect(await rowCount(t, "stores.store_check_in")).toBe(rows);
  });
});
