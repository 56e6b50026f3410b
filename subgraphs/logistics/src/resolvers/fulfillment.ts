import type { FulfillmentResolvers, PickupSlotResolvers } from "../generated/graphql.ts";
import { fulfillmentSlot, trackingEvents } from "../fulfillments.ts";
import { slotId } from "../slots.ts";

export const Fulfillment: FulfillmentResolvers = {
  // A reference stub: the gateway asks stores for the store's other fields.
  store: (f) => (f.storeId ? { id: f.storeId } : null),
  slot: (f, _, ctx) => fulfillmentSlot(ctx, f),
  trackingEvents: (f, _, ctx) => trackingEvents(ctx, f),
};

export const PickupSlot: PickupSlotResolvers = {
  id: (slot) => slotId(slot),
  capacityLeft: (slot) => Math.max(0, slot.capacity - slot.booked),
};
