import { byKeys, groupByKeys, type Peers } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { FulfillmentModel, TrackingEventModel } from "./generated/prisma/models.ts";
import type { SlotParent } from "./parents.ts";
import { createServiceLoaders } from "./services/loaders.ts";
import { bookedSlots, slotsForDays, type BookedSlotKey, type SlotDayKey } from "./slots.ts";
import { storeRetailers } from "./store-owners.ts";

/** Per-request batchers: one SQL statement (or sibling call) per kind per tick, whatever the number of stores or orders. */
export function createLoaders(prisma: PrismaClient, peers: Peers) {
  return {
    /** Service centres: rates, drop-off slots, service orders and their legs and events (src/services/loaders.ts). */
    ...createServiceLoaders(prisma),
    /** The retailer operating a store (asked of stores, for API keys): every store of a tick in one `_entities` call. */
    storeRetailer: new DataLoader<string, string | null>((storeIds) => storeRetailers(peers, storeIds)),
    /** A store's slots on a local day; all (store, day) pairs of a tick in one statement (see slotsForDays). */
    slotsByStoreDay: new DataLoader<SlotDayKey, SlotParent[], string>((keys) => slotsForDays(prisma, keys), {
      cacheKeyFn: (k) => `${k.storeId}@${k.date}`,
    }),
    /** The slot a fulfilment was booked into (past or future), with capacity and bookings. */
    bookedSlot: new DataLoader<BookedSlotKey, SlotParent, string>((keys) => bookedSlots(prisma, keys), {
      cacheKeyFn: (k) => `${k.storeId}@${k.startsAt.toISOString()}`,
    }),
    fulfillmentById: new DataLoader<string, FulfillmentModel | null>(async (ids) =>
      byKeys(ids, await prisma.fulfillment.findMany({ where: { id: { in: [...ids] } } }), (f) => f.id),
    ),
    fulfillmentByOrderId: new DataLoader<string, FulfillmentModel | null>(async (ids) =>
      byKeys(ids, await prisma.fulfillment.findMany({ where: { orderId: { in: [...ids] } } }), (f) => f.orderId),
    ),
    trackingEventsByFulfillmentId: new DataLoader<string, TrackingEventModel[]>(async (ids) =>
      groupByKeys(
        ids,
        await prisma.trackingEvent.findMany({ where: { fulfillmentId: { in: [...ids] } }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
        (e) => e.fulfillmentId,
      ),
    ),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
