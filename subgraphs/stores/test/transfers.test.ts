import { withSqlTransaction } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENTS, RESERVE } from "./reservation-support.ts";
import { productId, retailerId, startStores, storeId, type Harness } from "./support.ts";

// transferPopUpStock under concurrency: however many transfers and checkouts race for a pop-up's shelf, every unit
// ends up exactly once — moved, held for an order, or (nowhere else) — and only one transfer moves anything.
let h: Harness;
beforeAll(async () => void (h = await startStores()));
afterAll(() => h?.stop());

const HARAJUKU = storeId("lumen-popup-harajuku");
const SHOWROOM = storeId("lumen-omotesando");
const lumen = { keyId: "key-lumen", retailerId: retailerId("lumen"), scopes: ["inventory:write"] };
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
const TRANSFER = `mutation($i: TransferPopUpStockInput!) { transferPopUpStock(input: $i) { transfer { id lines { product { id } quantity } } userErrors { code } } }`;
const setShelf = (store: string, product: string, quantity: number) =>
  sql(`INSERT INTO stores.stock (store_id, product_id, quantity) VALUES ($1, $2, $3) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`, [store, product, quantity]);
const qty = async (store: string, product: string) => (await sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [store, product]))[0]?.quantity ?? 0;

describe("transferPopUpStock", () => {
  it("ten concurrent transfers under different keys: exactly one moves the shelf, the others find nothing", async () => {
    const product = productId("ATE-006");
    await setShelf(HARAJUKU, product, 8);
    const before = (await qty(HARAJUKU, product)) + (await qty(SHOWROOM, product));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.q(TRANSFER, { i: { fromStoreId: HARAJUKU, toStoreId: SHOWROOM, idempotencyKey: `race-${i}` } }, lumen)));
    const moved = answers.filter((a) => (a.data as any)?.transferPopUpStock.transfer);
    const empty = answers.filter((a) => (a.data as any)?.transferPopUpStock.userErrors[0]?.code === "NOTHING_TO_TRANSFER");
    expect(moved).toHaveLength(1);
    expect(empty).toHaveLength(9);
    expect(await qty(HARAJUKU, product)).toBe(0);
    expect(await qty(SHOWROOM, product)).toBe(before);
  });

  it("racing checkouts: each unit is either held for an order or moved, never both, never lost", async () => {
    const product = productId("KUM-004");
    await setShelf(HARAJUKU, product, 20);
    const showroomBefore = await qty(SHOWROOM, product);
    const orders = Array.from({ length: 12 }, () => randomUUID());
    const [transfer, ...reservations] = await Promise.all([
      h.q(TRANSFER, { i: { fromStoreId: HARAJUKU, toStoreId: SHOWROOM, idempotencyKey: "race-checkouts" } }, lumen),
      ...orders.map((o) => h.q(RESERVE, { o, l: [{ productId: product, storeId: HARAJUKU, quantity: 2 }] }, PAYMENTS)),
    ]);
    const held = reservations.filter((r) => (r.data as any)?.reserveStock.ok).length * 2;
    const line = ((transfer.data as any).transferPopUpStock.transfer?.lines ?? []).find((l: any) => l.product.id === product);
    const movedUnits = line?.quantity ?? 0;
    expect(held + movedUnits).toBe(20);
    expect(await qty(HARAJUKU, product)).toBe(0);
    expect(await qty(SHOWROOM, product)).toBe(showroomBefore + movedUnits);
    const [row] = await sql<{ n: number }>(`SELECT coalesce(sum(quantity), 0)::int AS n FROM stores.stock_reservation_line WHERE product_id = $1 AND order_id = ANY($2::uuid[])`, [product, orders]);
    expect(row!.n).toBe(held);
  });
});
