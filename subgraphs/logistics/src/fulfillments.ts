import { parseId } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentModel, TrackingEventModel } from "./generated/prisma/models.ts";
import type { EntityRef, SlotParent } from "./parents.ts";

/** Reads of fulfilments and their tracking; every one batched through a DataLoader. */

/** `Order.fulfillment`: null when the order has none; a malformed order id is BAD_USER_INPUT before any SQL. */
export function orderFulfillment(ctx: LogisticsContext, order: EntityRef): Promise<FulfillmentModel | null> {
  return ctx.loaders.fulfillmentByOrderId.load(parseId(order.id, "Order.id"));
}

/** `Fulfillment.slot`: the booked slot with its capacity and what is left of it, or null. */
export function fulfillmentSlot(ctx: LogisticsContext, f: FulfillmentModel): Promise<SlotParent> | null {
  if (!f.storeId || !f.slotStartsAt || !f.slotEndsAt) return null;
  return ctx.loaders.bookedSlot.load({ storeId: f.storeId, startsAt: f.slotStartsAt, endsAt: f.slotEndsAt });
}

/** `Fulfillment.trackingEvents`: oldest first. */
export function trackingEvents(ctx: LogisticsContext, f: FulfillmentModel): Promise<TrackingEventModel[]> {
  return ctx.loaders.trackingEventsByFulfillmentId.load(f.id);
}
