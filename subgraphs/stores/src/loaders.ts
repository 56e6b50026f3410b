import { byKeys, groupByKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import { availabilityBatch, type AvailabilityKey, type AvailabilityRow } from "./availability.ts";
import { retailerStorePages, stockPages, type RetailerStoresKey, type StockPageKey } from "./directory.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { OpeningHoursModel, RetailerModel, StockModel, StoreModel } from "./generated/prisma/models.ts";

/** Per-request batchers: one SQL statement per kind per tick, whatever the list size. */
export function createLoaders(prisma: PrismaClient, today: string) {
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
    /**
     * Product availability keyed by (product, near, radiusKm, first): keys with the same arguments share ONE
     * statement (a window function ranks each product's stores), so 50 products cost what 10 do.
     */
    availability: new DataLoader<AvailabilityKey, AvailabilityRow[], string>((keys) => availabilityBatch(prisma, today, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.productId, k.near.lat, k.near.lng, k.radiusKm, k.first]),
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

const stockKey = (k: { storeId: string; productId: string }) => `${k.storeId}:${k.productId}`;
