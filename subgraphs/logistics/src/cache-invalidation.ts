import { changeTracker, type Cache, type InTransaction } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * The shared read cache (gateway/src/fetch-cache.ts, runtime cache-tags.ts) serves logistics' `Store.pickupSlots(date)`
 * (tag `logistics:Store:<id>`, and root answers `logistics:root`) until a booking changes a slot's `capacityLeft`: a
 * pickup held into a slot, or cancelled out of it (released at checkout, cancelled or refunded with its order). The
 * change invalidates them after its transaction has committed and before it answers (runtime `changeTracker`).
 * Service drop-offs count in `serviceSlots` (not cached), never in `pickupSlots`.
 */
type Tx = Prisma.TransactionClient;

const slots = changeTracker<Tx>("logistics", "Store", "a slot booking");

/** Inside a transaction opened by `slotTransactions`: a booking into one of this store's slots was made or cancelled. */
export const noteSlotChange = (tx: Tx, storeId: string): void => slots.note(tx, [storeId]);

/** Opens transactions that may book or free a slot (holds, releases, the event consumer); invalidates after commit. */
export const slotTransactions = (prisma: PrismaClient, cache: Cache): InTransaction<Tx> => slots.transactions((fn) => prisma.$transaction(fn), cache);
