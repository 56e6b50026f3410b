import { byKeys, groupByKeys, type Peers } from "@o2o/runtime";
import DataLoader from "dataloader";
import { adjustmentPages } from "./adjustments.ts";
import type { NewestPageKey } from "./newest-pages.ts";
import { replenishmentOrdersById, replenishmentPages, type ReplenishmentParent } from "./replenishment.ts";
import { availabilityBatch, type AvailabilityKey, type AvailabilityRow } from "./availability.ts";
import { conversionBatch, conversionCacheKey, type ConversionFigures, type ConversionKey } from "./conversion.ts";
import { showroomOfferBatch, showroomOfferCacheKey, type ShowroomOfferKey, type ShowroomOfferParent } from "./showroom-offer.ts";
import { retailerStorePages, stockPages, type RetailerStoresKey, type StockPageKey } from "./directory.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { OpeningHoursModel, RetailerModel, StockModel, StoreModel } from "./generated/prisma/models.ts";

/** Per-request batchers: one SQL statement per kind per tick, whatever the list size. */
export function createLoaders(prisma: PrismaClient, today: string, peers: Peers) {
  const storeById = new DataLoader<string, StoreModel | null>(async (ids) =>
    byKeys(ids, await prisma.store.findMany({ where: { id: { in: [...ids] } } }), (s) => s.id),
  );
  return {
    storeById,
    retailerById: new DataLoader<string, RetailerModel | null>(async (ids) =>
      byKeys(ids, await prisma.retailer.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id),
    ),
    openingHoursByStoreId: new DataLoader<string, OpeningHoursModel[]>(async (ids) =>
      groupByKeys(
        ids,
        await prisma.openingHours.findMany({ where: { storeId: { in: [...ids] } }, orderBy: [{ dayOfWeek: "asc" }, { opens: "asc" }] }),
        (h) => h.storeId,
      ),
    ),
    /** One page of one retailer's stores per key; all keys of a tick in one statement, the stores in one more. */
    retailerStores: new DataLoader<RetailerStoresKey, StoreModel[], string>(
      async (keys) => {
        const pages = await retailerStorePages(prisma, keys);
        const stores = await storeById.loadMany(pages.flat());
        const byId = new Map<string, StoreModel>();
        for (const store of stores) if (store && !(store instanceof Error)) byId.set(store.id, store);
        return pages.map((ids) => ids.flatMap((id) => byId.get(id) ?? []));
      },
      { cacheKeyFn: (k) => JSON.stringify([k.retailerId, k.take, k.after]) },
    ),
    /** One page of one store's stock per key; all keys of a tick in one statement. */
    stockPage: new DataLoader<StockPageKey, StockModel[], string>((keys) => stockPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.storeId, k.take, k.after]),
    }),
    /** Stock of (store, product) pairs: one statement for all pairs of a tick. */
    stockLevel: new DataLoader<{ storeId: string; productId: string }, StockModel | null, string>(
      async (keys) => {
        const rows = await prisma.stock.findMany({
          where: { storeId: { in: [...new Set(keys.map((k) => k.storeId))] }, productId: { in: [...new Set(keys.map((k) => k.productId))] } },
        });
        return byKeys(keys.map(stockKey), rows, stockKey);
      },
      { cacheKeyFn: stockKey },
    ),
    /** One page of one store's stock adjustments / replenishment orders per key (newest first); one statement a tick. */
    adjustmentPage: new DataLoader<NewestPageKey, Awaited<ReturnType<typeof adjustmentPages>>[number], string>((keys) => adjustmentPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.storeId, k.take, k.after]),
    }),
    /** Replenishment orders by id (with lines and events), e.g. behind a page of REPLENISHMENT adjustments. */
    replenishmentOrderById: new DataLoader<string, ReplenishmentParent | null>((ids) => replenishmentOrdersById(prisma, ids)),
    replenishmentPage: new DataLoader<NewestPageKey, Awaited<ReturnType<typeof replenishmentPages>>[number], string>((keys) => replenishmentPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.storeId, k.take, k.after]),
    }),
    /**
     * Product availability keyed by (product, near, radiusKm, first): keys with the same arguments share ONE
     * statement (a window function ranks each product's stores), so 50 products cost what 10 do.
     */
    availability: new DataLoader<AvailabilityKey, AvailabilityRow[], string>((keys) => availabilityBatch(prisma, today, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.productId, k.near.lat, k.near.lng, k.radiusKm, k.first]),
    }),
    /** `Product.showroomOffer`: products asking about one showroom (same radius, first) share three statements. */
    showroomOffer: new DataLoader<ShowroomOfferKey, ShowroomOfferParent | null, string>((keys) => showroomOfferBatch(prisma, today, keys), {
      cacheKeyFn: showroomOfferCacheKey,
    }),
    /** `Store.conversion`: every store and range of a tick in one footfall statement and one call to payments. */
    conversion: new DataLoader<ConversionKey, ConversionFigures, string>((keys) => conversionBatch(prisma, peers, keys), { cacheKeyFn: conversionCacheKey }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

const stockKey = (k: { storeId: string; productId: string }) => `${k.storeId}:${k.productId}`;
