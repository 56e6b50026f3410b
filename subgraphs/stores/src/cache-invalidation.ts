import { changeTracker, type Cache, type InTransaction } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * The shared read cache (gateway/src/fetch-cache.ts, runtime cache-tags.ts) serves stores' answers until the data
 * behind them changes: `Product` (its `availability`: `stock.quantity > 0`, tag `stores:Product:<id>`) and `Store`
 * (`stores:Store:<id>`), plus every root answer (`stores:root`). A change invalidates them after its transaction has
 * committed and before the mutation answers (runtime `changeTracker`).
 */
type Tx = Prisma.TransactionClient;

const stock = changeTracker<Tx>("stores", "Product", "stock");
const stores = changeTracker<Tx>("stores", "Store", "a store row");

/** After a commit that changed these products' stock. No ids, nothing to invalidate (root answers included). */
export const stockChanged = stock.changed;
/** After a commit that changed these store rows (what `Store` shows: name, format, hours, dates, capabilities…). */
export const storeChanged = stores.changed;

/**
 * Inside a transaction opened by `stockTransactions`: these products' stock rows were written. Every stock writer calls
 * it (stock-rows.ts, adjustments.ts, transfers.ts), so whoever owns the transaction cannot forget a product.
 */
export const noteStockChange = (tx: Tx, productIds: Iterable<string>): void => stock.note(tx, productIds);

/**
 * Opens transactions that may change stock (checkout, settlement, the sweeper, event consumers, adjustments, transfers,
 * deliveries): once one has committed, the products it noted are invalidated.
 */
export const stockTransactions = (prisma: PrismaClient, cache: Cache): InTransaction<Tx> => stock.transactions((fn) => prisma.$transaction(fn), cache);
