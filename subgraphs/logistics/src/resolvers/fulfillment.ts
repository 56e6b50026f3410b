import type { FulfillmentPayloadResolvers, FulfillmentResolvers, PickupSlotResolvers } from "../generated/graphql.ts";
import { fulfillmentSlot, trackingEvents } from "../fulfillments.ts";
import { slotId } from "../slots.ts";

export const Fulfillment: FulfillmentResolvers = {
  // A reference stub: the gateway asks stores for the store's other fields.
  store: (f) => (f.storeId ? { id: f.storeId } : null),
  slot: (f, _, ctx) => fulfillmentSlot(ctx, f),
  trackingEvents: (f, _, ctx) => trackingEvents(ctx, f),
  order: (f) => ({ id: f.orderId }),
  promisedWindow: (f) => (f.promisedEarliest && f.promisedLatest ? { earliest: f.promisedEarliest, latest: f.promisedLatest } : null),
  // The code is the member's proof at the counter: nobody else (staff included) may read it.
  pickupCode: (f, _, ctx) => (f.memberId && ctx.caller.memberId?.toLowerCase() === f.memberId ? f.pickupCode : null),
};

export const FulfillmentPayload: FulfillmentPayloadResolvers = {
  fulfillment: (p, _, ctx) => (p.fulfillmentId ? ctx.loaders.fulfillmentById.load(p.fulfillmentId) : null),
};

export const PickupSlot: PickupSlotResolvers = {
  id: (slot) => slotId(slot),
  capacityLeft: (slot) => Math.max(0, slot.capacity - slot.booked),
};
