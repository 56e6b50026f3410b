import { changeTracker, type Cache, type InTransaction } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * The shared read cache (gateway/src/fetch-cache.ts, runtime cache-tags.ts) serves stores' answers until the data
 * behind them changes: `Product` (its `availability`: `stock.quantity > 0`, tag `stores:Product:<id>`), plus every
 * root answer (`stores:root`). No mutation edits store rows, so `stores:Store:<id>` answers only expire. A change invalidates them after its transaction has
 * committed and before the mutation answers (runtime `changeTracker`).
 */
type Tx = Prisma.TransactionClient;

const stock = changeTracker<Tx>("stores", "Product", "stock");

/**
 * Inside a transaction opened by `stockTransactions`: these products' stock rows were written. Every stock writer calls
 * it (stock-rows.ts, adjustments.ts, transfers.ts, inventory.ts), so whoever owns the transaction cannot forget a product.
 */
export const noteStockChange = (tx: Tx, productIds: Iterable<string>): void => stock.note(tx, productIds);

/**
 * Opens transactions that may change stock (checkout, settlement, the sweeper, event consumers, adjustments, transfers,
 * deliveries, partner stock levels): once one has committed, the products it noted are invalidated.
 */
export const stockTransactions = (prisma: PrismaClient, cache: Cache): InTransaction<Tx> => stock.transactions((fn) => prisma.$transaction(fn), cache);
