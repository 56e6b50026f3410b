import { randomUUID } from "node:crypto";
import { withSqlTransaction } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { adapterFor, envelope } from "@o2o/runtime";
import { releaseExpiredReservations } from "../src/reservations.ts";
import { productId, startStores, storeId, UNKNOWN_ID, type Harness } from "./support.ts";

// reserveStock / releaseStock, the internal fields payments calls at checkout: all lines or none, never
// more than the shelf holds, idempotent per order, expiring when unpaid.
let h: Harness;
beforeAll(async () => {
  h = await startStores();
});
afterAll(() => h?.stop());

const PAYMENTS = { service: "payments" };
const RESERVE = `mutation($o: ID!, $l: [ReservationLineInput!]!, $d: GeoPointInput, $ttl: Int) {
  reserveStock(orderId: $o, lines: $l, deliverTo: $d, ttlSeconds: $ttl) { ok code message productId storeId expiresAt lines { productId storeId quantity } }
}`;
type Reservation = { ok: boolean; code: string | null; productId: string | null; storeId: string | null; expiresAt: string | null; lines: { productId: string; storeId: string; quantity: number }[] };

const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
const setStock = (store: string, sku: string, quantity: number) =>
  sql(`INSERT INTO stores.stock (store_id, product_id, quantity) VALUES ($1, $2, $3) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`, [storeId(store), productId(sku), quantity]);
const stock = async (store: string, sku: string) =>
  (await sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [storeId(store), productId(sku)]))[0]?.quantity;
const reserve = async (orderId: string, lines: unknown[], deliverTo?: unknown, ttl?: number) =>
  (await h.q<{ reserveStock: Reservation }>(RESERVE, { o: orderId, l: lines, d: deliverTo, ttl }, PAYMENTS)).data!.reserveStock;
const line = (store: string, sku: string, quantity: number) => ({ productId: productId(sku), storeId: storeId(store), quantity });

describe("reserveStock", () => {
  it("takes the stock and answers the same for a replay of the same order", async () => {
    await setStock("hoshi-ginza", "HAN-001", 5);
    const order = randomUUID();
    const first = await reserve(order, [line("hoshi-ginza", "HAN-001", 2)]);
    expect(first).toMatchObject({ ok: true, lines: [{ productId: productId("HAN-001"), storeId: storeId("hoshi-ginza"), quantity: 2 }] });
    expect(await reserve(order, [line("hoshi-ginza", "HAN-001", 2)])).toEqual(first);
    expect(await stock("hoshi-ginza", "HAN-001")).toBe(3);
  });

  it("sells exactly 10 units to 200 concurrent orders for the last 10", async () => {
    await setStock("hoshi-akihabara", "SOR-001", 10);
    const answers = await Promise.all(Array.from({ length: 200 }, () => reserve(randomUUID(), [line("hoshi-akihabara", "SOR-001", 1)])));
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.filter((a) => a.code === "OUT_OF_STOCK")).toHaveLength(190);
    expect(await stock("hoshi-akihabara", "SOR-001")).toBe(0);
  }, 60_000);

  it("takes all lines or none: a short second line leaves the first untouched", async () => {
    await setStock("hoshi-ginza", "HAN-002", 5);
    await setStock("hoshi-ginza", "HAN-003", 1);
    const order = randomUUID();
    const answer = await reserve(order, [line("hoshi-ginza", "HAN-002", 2), line("hoshi-ginza", "HAN-003", 2)]);
    expect(answer).toMatchObject({ ok: false, code: "OUT_OF_STOCK", productId: productId("HAN-003") });
    expect(await stock("hoshi-ginza", "HAN-002")).toBe(5);
    expect(await sql(`SELECT 1 FROM stores.stock_reservation WHERE order_id = $1`, [order])).toEqual([]);
  });

  it("refuses showrooms, unknown stores and bad quantities", async () => {
    expect((await reserve(randomUUID(), [line("lumen-omotesando", "HAN-001", 1)])).code).toBe("STORE_CANNOT_SELL");
    expect((await reserve(randomUUID(), [line("corner24-tsukiji-locker", "HAN-001", 1)])).code).toBe("STORE_CANNOT_SELL");
    expect((await reserve(randomUUID(), [{ ...line("hoshi-ginza", "HAN-001", 1), storeId: UNKNOWN_ID }])).code).toBe("UNKNOWN_STORE");
    expect((await reserve(randomUUID(), [line("hoshi-ginza", "HAN-001", 0)])).code).toBe("INVALID_QUANTITY");
    expect((await reserve(randomUUID(), [line("hoshi-ginza", "HAN-001", 1000)])).code).toBe("INVALID_QUANTITY");
  });

  it("sends a delivery from the nearest delivering store that holds every line", async () => {
    await setStock("freshway-shinagawa", "MOC-001", 3);
    await setStock("meridian-nihonbashi", "MOC-001", 50);
    const nearShinagawa = { lat: 35.629, lng: 139.74 };
    const near = await reserve(randomUUID(), [{ productId: productId("MOC-001"), quantity: 2 }], nearShinagawa);
    expect(near).toMatchObject({ ok: true, lines: [{ storeId: storeId("freshway-shinagawa"), quantity: 2 }] });
    // Shinagawa has 1 left: 5 more must come from further away.
    const far = await reserve(randomUUID(), [{ productId: productId("MOC-001"), quantity: 5 }], nearShinagawa);
    expect(far).toMatchObject({ ok: true, lines: [{ storeId: storeId("meridian-nihonbashi") }] });
    expect((await reserve(randomUUID(), [{ productId: productId("MOC-001"), quantity: 500 }], nearShinagawa)).code).toBe("OUT_OF_STOCK");
  });

  it("answers only the payments service", async () => {
    const res = await h.q(RESERVE, { o: randomUUID(), l: [line("hoshi-ginza", "HAN-001", 1)] }, { memberId: randomUUID() });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("releasing stock", () => {
  it("releaseStock returns a held reservation's stock once", async () => {
    await setStock("hoshi-ueno", "HAN-001", 4);
    const order = randomUUID();
    await reserve(order, [line("hoshi-ueno", "HAN-001", 3)]);
    const RELEASE = `mutation($o: ID!) { releaseStock(orderId: $o) }`;
    expect((await h.q(RELEASE, { o: order }, PAYMENTS)).data).toEqual({ releaseStock: true });
    expect((await h.q(RELEASE, { o: order }, PAYMENTS)).data).toEqual({ releaseStock: true });
    expect(await stock("hoshi-ueno", "HAN-001")).toBe(4);
  });

  it("an unpaid hold expires and its stock comes back", async () => {
    await setStock("hoshi-shibuya", "HAN-001", 2);
    const order = randomUUID();
    const held = await reserve(order, [line("hoshi-shibuya", "HAN-001", 2)], undefined, 60);
    expect(await stock("hoshi-shibuya", "HAN-001")).toBe(0);
    const prisma = new PrismaClient({ adapter: adapterFor("stores", h.target) });
    try {
      expect(await releaseExpiredReservations(prisma, new Date())).toBe(0);
      const later = new Date(Date.parse(held.expiresAt!) + 61_000);
      expect(await releaseExpiredReservations(prisma, later)).toBe(1);
      expect(await releaseExpiredReservations(prisma, later)).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
    expect(await stock("hoshi-shibuya", "HAN-001")).toBe(2);
    const [row] = await sql<{ status: string; release_reason: string }>(`SELECT status::text, release_reason FROM stores.stock_reservation WHERE order_id = $1`, [order]);
    expect(row).toEqual({ status: "RELEASED", release_reason: "EXPIRED" });
    expect(await sql(`SELECT type FROM stores.outbox_event WHERE payload->>'orderId' = $1 ORDER BY id`, [order])).toEqual([{ type: "stock.reserved" }, { type: "stock.released" }]);
  });
});

describe("events from payments", () => {
  const status = async (order: string) => (await sql<{ status: string }>(`SELECT status::text FROM stores.stock_reservation WHERE order_id = $1`, [order]))[0]?.status;
  async function until(check: () => Promise<boolean>) {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await check()).toBe(true);
  }

  it("payment.captured commits a hold; order.refunded returns its stock — each once, however often delivered", async () => {
    await setStock("hoshi-ikebukuro", "HAN-001", 5);
    const order = randomUUID();
    await reserve(order, [line("hoshi-ikebukuro", "HAN-001", 2)]);
    const captured = envelope("payments", "payment.captured", { orderId: order });
    await h.wiring.bus.publish([captured, captured]);
    await until(async () => (await status(order)) === "COMMITTED");
    // Committed holds never expire.
    const prisma = new PrismaClient({ adapter: adapterFor("stores", h.target) });
    await releaseExpiredReservations(prisma, new Date(Date.now() + 86_400_000)).finally(() => prisma.$disconnect());
    expect(await status(order)).toBe("COMMITTED");
    const refunded = envelope("payments", "order.refunded", { orderId: order });
    await h.wiring.bus.publish([refunded, refunded, envelope("payments", "order.refunded", { orderId: order })]);
    await until(async () => (await status(order)) === "RELEASED");
    await new Promise((r) => setTimeout(r, 300));
    expect(await stock("hoshi-ikebukuro", "HAN-001")).toBe(5);
  });

  it("order.cancelled releases an unpaid hold", async () => {
    await setStock("hoshi-asakusa", "HAN-001", 1);
    const order = randomUUID();
    await reserve(order, [line("hoshi-asakusa", "HAN-001", 1)]);
    await h.wiring.bus.publish([envelope("payments", "order.cancelled", { orderId: order })]);
    await until(async () => (await status(order)) === "RELEASED");
    expect(await stock("hoshi-asakusa", "HAN-001")).toBe(1);
  });
});
