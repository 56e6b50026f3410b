import { noteStockChange } from "./cache-invalidation.ts";
import type { Prisma } from "./generated/prisma/client.ts";

/**
 * The only writes to `stock` that reservations make. Every writer touches rows in one global order
 * (store id, then product id) so two transactions never wait on each other's rows crosswise (no deadlocks).
 * Each write notes its product for the read cache (invalidated once the stock transaction commits).
 */
type Tx = Prisma.TransactionClient;

export interface StockLine {
  productId: string;
  storeId: string;
  quantity: number;
}

const rowKey = (l: StockLine) => `${l.storeId}:${l.productId}`;

/** One line per (store, product), quantities summed, in lock order. Code-unit order: the same on every replica, whatever its locale. */
export function inLockOrder(lines: readonly StockLine[]): StockLine[] {
  const totals = new Map<string, StockLine>();
  for (const l of lines) totals.set(rowKey(l), { ...l, quantity: (totals.get(rowKey(l))?.quantity ?? 0) + l.quantity });
  return [...totals.values()].sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0));
}

/** Conditional decrement: takes `quantity` only if the shelf holds that many. Returns whether it did. */
export async function takeRow(tx: Tx, line: StockLine): Promise<boolean> {
  const taken = await tx.$executeRaw`
    UPDATE "stores"."stock" SET "quantity" = "quantity" - ${line.quantity}, "updated_at" = now()
     WHERE "store_id" = ${line.storeId}::uuid AND "product_id" = ${line.productId}::uuid AND "quantity" >= ${line.quantity}`;
  if (taken === 1) noteStockChange(tx, [line.productId]);
  return taken === 1;
}

/** Puts units back on the shelf. */
export async function returnRow(tx: Tx, line: StockLine): Promise<void> {
  const returned = await tx.$executeRaw`
    UPDATE "stores"."stock" SET "quantity" = "quantity" + ${line.quantity}, "updated_at" = now()
     WHERE "store_id" = ${line.storeId}::uuid AND "product_id" = ${line.productId}::uuid`;
  if (returned === 1) noteStockChange(tx, [line.productId]);
}

/** Locks the row and reads what the shelf holds now (0 when the store does not stock the product). */
export async function lockRow(tx: Tx, line: StockLine): Promise<number> {
  const [row] = await tx.$queryRaw<{ quantity: number }[]>`
    SELECT "quantity" FROM "stores"."stock"
     WHERE "store_id" = ${line.storeId}::uuid AND "product_id" = ${line.productId}::uuid FOR UPDATE`;
  return row?.quantity ?? 0;
}
