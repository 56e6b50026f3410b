import type { StoreResolvers } from "../generated/graphql.ts";
import { pickupSlots } from "../slots.ts";

export const Store: StoreResolvers = {
  // Stores owns the store; logistics only needs its id (checked when a field needs it).
  __resolveReference: (ref) => ({ id: ref.id }),
  pickupSlots: (store, { date }, ctx) => pickupSlots(ctx, store, date),
};
