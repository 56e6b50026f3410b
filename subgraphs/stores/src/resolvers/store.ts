import { isOpenOn, popUpPeriod, storeReference } from "../directory.ts";
import { boundStoreStock } from "../inventory.ts";
import type { StoreResolvers } from "../generated/graphql.ts";

export const Store: StoreResolvers = {
  // Payments and logistics reference stores by id: batched, malformed or unknown ids are null.
  __resolveReference: (ref, ctx) => storeReference(ctx, ref.id),
  retailer: async (store, _, ctx) => (await ctx.loaders.retailerById.load(store.retailerId))!,
  address: (store) => ({ line1: store.addressLine1, city: store.city, country: store.country }),
  location: (store) => ({ lat: store.lat, lng: store.lng }),
  openingHours: (store, _, ctx) => ctx.loaders.openingHoursByStoreId.load(store.id),
  popUp: (store) => popUpPeriod(store),
  isOpenOn: (store, { date }, ctx) => isOpenOn(ctx, store, date),
  stock: (store, args, ctx) => boundStoreStock(ctx, store, args),
};
