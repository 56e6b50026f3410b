import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delivered, line, PAYMENTS, RELEASE, RESERVE, reservationHelpers } from "./reservation-support.ts";
import { productId, startStores, storeId, UNKNOWN_ID, type Harness } from "./support.ts";

// reserveStock / releaseStock, the internal fields payments calls at checkout: all lines or none, only from
// stores that sell off the shelf, idempotent per order, and only for the payments service.
let h: Harness;
let t: ReturnType<typeof reservationHelpers>;
beforeAll(async () => {
  h = await startStores();
  t = reservationHelpers(h);
});
afterAll(() => h?.stop());

describe("reserveStock", () => {
  it("takes the stock, records the hold with a stock.reserved event, and answers a replay the same without taking again", async () => {
    await t.setStock("hoshi-ginza", "HAN-001", 5);
    const order = randomUUID();
    const first = await t.reserve(order, [line("hoshi-ginza", "HAN-001", 2)], undefined, 600);
    expect(first).toEqual({
      ok: true,
      code: null,
      message: null,
      productId: null,
      storeId: null,
      // The harness clock reads 2026-11-23T03:00:00Z; the hold lasts ttlSeconds.
      expiresAt: "2026-11-23T03:10:00.000Z",
      lines: [{ productId: productId("HAN-001"), storeId: storeId("hoshi-ginza"), quantity: 2 }],
    });
    expect(await t.stockOf("hoshi-ginza", "HAN-001")).toBe(3);
    // A replay (even with other lines) answers what the first call stored.
    expect(await t.reserve(order, [line("hoshi-ginza", "HAN-001", 2)], undefined, 600)).toEqual(first);
    expect(await t.reserve(order, [line("hoshi-ginza", "HAN-001", 4)])).toEqual(first);
    expect(await t.stockOf("hoshi-ginza", "HAN-001")).toBe(3);
    expect(await t.status(order)).toEqual({ status: "HELD", release_reason: null });
    expect(await t.outbox(order)).toEqual([{ type: "stock.reserved", payload: { orderId: order, expiresAt: first.expiresAt, lines: first.lines } }]);
  });

  it("answers concurrent replays of one order the same and takes the stock once", async () => {
    await t.setStock("hoshi-ginza", "HAN-004", 10);
    const order = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.reserve(order, [line("hoshi-ginza", "HAN-004", 3)])));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.ok).toBe(true);
    expect(await t.stockOf("hoshi-ginza", "HAN-004")).toBe(7);
  });

  it("takes all lines or none: a short second line leaves the first line's stock untouched", async () => {
    await t.setStock("hoshi-ginza", "HAN-002", 5);
    await t.setStock("hoshi-ueno", "HAN-003", 1);
    const order = randomUUID();
    const answer = await t.reserve(order, [line("hoshi-ginza", "HAN-002", 2), line("hoshi-ueno", "HAN-003", 2)]);
    expect(answer).toMatchObject({ ok: false, code: "OUT_OF_STOCK", productId: productId("HAN-003"), storeId: storeId("hoshi-ueno"), expiresAt: null, lines: [] });
    // Read in the database itself: stock, reservation rows and outbox all as before.
    expect(await t.sql(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [storeId("hoshi-ginza"), productId("HAN-002")])).toEqual([{ quantity: 5 }]);
    expect(await t.sql(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [storeId("hoshi-ueno"), productId("HAN-003")])).toEqual([{ quantity: 1 }]);
    expect(await t.sql(`SELECT 1 FROM stores.stock_reservation WHERE order_id = $1`, [order])).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM stores.stock_reservation_line WHERE order_id = $1`, [order])).toEqual([]);
    expect(await t.outbox(order)).toEqual([]);
    // The refusal is not stored: the same order can be placed once the stock is there.
    await t.setStock("hoshi-ueno", "HAN-003", 2);
    expect((await t.reserve(order, [line("hoshi-ginza", "HAN-002", 2), line("hoshi-ueno", "HAN-003", 2)])).ok).toBe(true);
    expect(await t.stockOf("hoshi-ginza", "HAN-002")).toBe(3);
    expect(await t.stockOf("hoshi-ueno", "HAN-003")).toBe(0);
  });

  it("sums lines for the same product and store before checking the shelf", async () => {
    await t.setStock("hoshi-ginza", "HAN-005", 3);
    const answer = await t.reserve(randomUUID(), [line("hoshi-ginza", "HAN-005", 2), line("hoshi-ginza", "HAN-005", 2)]);
    expect(answer).toMatchObject({ ok: false, code: "OUT_OF_STOCK", productId: productId("HAN-005") });
    expect(await t.stockOf("hoshi-ginza", "HAN-005")).toBe(3);
  });

  it("refuses stores that do not sell off the shelf: STORE_CANNOT_SELL", async () => {
    // The showroom holds display units, yet they are not for sale.
    await t.setStock("lumen-omotesando", "HAN-001", 5);
    for (const store of ["lumen-omotesando", "carehub-marunouchi", "corner24-tsukiji-locker", "hoshi-popup-odaiba"]) {
      const answer = await t.reserve(randomUUID(), [line(store, "HAN-001", 1)]);
      expect(answer, store).toMatchObject({ ok: false, code: "STORE_CANNOT_SELL", storeId: storeId(store), lines: [] });
    }
    expect(await t.stockOf("lumen-omotesando", "HAN-001")).toBe(5);
  });

  it("refuses unknown stores: UNKNOWN_STORE", async () => {
    expect(await t.reserve(randomUUID(), [{ ...line("hoshi-ginza", "HAN-001", 1), storeId: UNKNOWN_ID }])).toMatchObject({ ok: false, code: "UNKNOWN_STORE", storeId: UNKNOWN_ID });
    expect(await t.reserve(randomUUID(), [{ ...line("hoshi-ginza", "HAN-001", 1), storeId: "not-a-store" }])).toMatchObject({ ok: false, code: "UNKNOWN_STORE", storeId: "not-a-store" });
  });

  it("refuses quantities outside 1..999 and empty orders: INVALID_QUANTITY, taking nothing", async () => {
    await t.setStock("hoshi-ginza", "HAN-006", 5);
    for (const quantity of [0, -1, 1000]) {
      const answer = await t.reserve(randomUUID(), [line("hoshi-ginza", "HAN-006", 1), line("hoshi-ginza", "HAN-006", quantity)]);
      expect(answer, String(quantity)).toMatchObject({ ok: false, code: "INVALID_QUANTITY", lines: [] });
    }
    expect((await t.reserve(randomUUID(), [])).code).toBe("INVALID_QUANTITY");
    expect(await t.stockOf("hoshi-ginza", "HAN-006")).toBe(5);
  });

  it("rejects malformed arguments as BAD_USER_INPUT", async () => {
    const bad = [
      { o: "not-a-uuid", l: [line("hoshi-ginza", "HAN-001", 1)] },
      { o: randomUUID(), l: [line("hoshi-ginza", "HAN-001", 1)], ttl: 0 },
      { o: randomUUID(), l: [line("hoshi-ginza", "HAN-001", 1)], ttl: 10 ** 9 },
      { o: randomUUID(), l: [delivered("HAN-001", 1)], d: { lat: 91, lng: 0 } },
    ];
    for (const vars of bad) {
      const res = await h.q(RESERVE, vars, PAYMENTS);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe("BAD_USER_INPUT");
    }
  });
});

describe("home delivery (lines without a store)", () => {
  // DLV-* products are not in the seed: only the stock rows set here exist, wherever the stores are.
  // Delivered to Hoshi Akihabara's door: Akihabara itself (nearest) does not deliver, Meridian Nihonbashi (next)
  // delivers but runs short, Hoshi Ginza delivers and holds enough.
  const AKIHABARA = { lat: 35.6984, lng: 139.7731 };

  it("picks the nearest HOME_DELIVERY store that sells and holds every line", async () => {
    await t.setStock("hoshi-akihabara", "DLV-001", 50);
    await t.setStock("meridian-nihonbashi", "DLV-001", 1);
    await t.setStock("hoshi-ginza", "DLV-001", 4);
    await t.setStock("meridian-nihonbashi", "DLV-002", 9);
    await t.setStock("hoshi-ginza", "DLV-002", 9);
    const answer = await t.reserve(randomUUID(), [delivered("DLV-001", 2), delivered("DLV-002", 1)], AKIHABARA);
    expect(answer).toMatchObject({
      ok: true,
      lines: [
        { productId: productId("DLV-001"), storeId: storeId("hoshi-ginza"), quantity: 2 },
        { productId: productId("DLV-002"), storeId: storeId("hoshi-ginza"), quantity: 1 },
      ],
    });
    expect(await t.stockOf("hoshi-ginza", "DLV-001")).toBe(2);
    expect(await t.stockOf("hoshi-akihabara", "DLV-001")).toBe(50);
    expect(await t.stockOf("meridian-nihonbashi", "DLV-002")).toBe(9);
    // One unit fits in Nihonbashi, the nearer delivering store.
    const near = await t.reserve(randomUUID(), [delivered("DLV-001", 1)], AKIHABARA);
    expect(near.lines).toEqual([{ productId: productId("DLV-001"), storeId: storeId("meridian-nihonbashi"), quantity: 1 }]);
  });

  it("answers OUT_OF_STOCK when no delivering store within 50 km holds every line", async () => {
    await t.setStock("hoshi-ginza", "DLV-003", 5);
    expect(await t.reserve(randomUUID(), [delivered("DLV-003", 6)], AKIHABARA)).toMatchObject({ ok: false, code: "OUT_OF_STOCK", productId: productId("DLV-003") });
    // Osaka is far beyond 50 km of every delivering store.
    expect((await t.reserve(randomUUID(), [delivered("DLV-003", 1)], { lat: 34.6937, lng: 135.5023 })).code).toBe("OUT_OF_STOCK");
    expect(await t.stockOf("hoshi-ginza", "DLV-003")).toBe(5);
  });

  it("needs deliverTo for a line without a store", async () => {
    expect(await t.reserve(randomUUID(), [delivered("DLV-003", 1)])).toMatchObject({ ok: false, code: "UNKNOWN_STORE" });
  });
});

describe("releaseStock", () => {
  it("returns a held reservation's stock once (stock.released CANCELLED); unknown orders are a no-op", async () => {
    const order = await t.held("hoshi-ueno", "HAN-001", 3, 4);
    expect(await t.stockOf("hoshi-ueno", "HAN-001")).toBe(1);
    expect((await h.q(RELEASE, { o: order }, PAYMENTS)).data).toEqual({ releaseStock: true });
    expect((await h.q(RELEASE, { o: order }, PAYMENTS)).data).toEqual({ releaseStock: true });
    expect(await t.stockOf("hoshi-ueno", "HAN-001")).toBe(4);
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "CANCELLED" });
    expect((await t.outbox(order)).map((e) => [e.type, e.payload.reason])).toEqual([["stock.reserved", undefined], ["stock.released", "CANCELLED"]]);
    expect((await h.q(RELEASE, { o: randomUUID() }, PAYMENTS)).data).toEqual({ releaseStock: true });
  });
});

describe("only the payments service", () => {
  it("is FORBIDDEN to anyone else and changes nothing", async () => {
    await t.setStock("hoshi-ginza", "HAN-007", 2);
    const order = randomUUID();
    for (const caller of [{}, { memberId: randomUUID() }, { scopes: ["store:operate"] }, { service: "logistics" }]) {
      const reserved = await h.q(RESERVE, { o: order, l: [line("hoshi-ginza", "HAN-007", 1)] }, caller);
      expect(reserved.errors?.[0]?.extensions?.code, JSON.stringify(caller)).toBe("FORBIDDEN");
      const released = await h.q(RELEASE, { o: order }, caller);
      expect(released.errors?.[0]?.extensions?.code, JSON.stringify(caller)).toBe("FORBIDDEN");
    }
    expect(await t.stockOf("hoshi-ginza", "HAN-007")).toBe(2);
    expect(await t.status(order)).toBeUndefined();
  });
});
