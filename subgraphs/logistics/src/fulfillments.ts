import { isId, parseId, requireScope } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentModel, TrackingEventModel } from "./generated/prisma/models.ts";
import type { EntityRef, SlotParent } from "./parents.ts";
import { keyMayWorkOn } from "./store-owners.ts";

/** Reads of fulfilments and their tracking; every one batched through a DataLoader. */

/**
 * `fulfillment(id)` (scope orders:read, checked here too): the member's own (the fulfilment of their order), for an
 * API key one at its retailer's stores (a platform key: any). Anything else, an unknown id and an id that is not a
 * UUID are null: nobody learns that another retailer's fulfilment exists.
 */
export async function findFulfillment(ctx: LogisticsContext, id: string): Promise<FulfillmentModel | null> {
  requireScope(ctx.caller, "orders:read");
  const f = isId(id) ? await ctx.loaders.fulfillmentById.load(id.toLowerCase()) : null;
  if (!f) return null;
  if (ctx.caller.memberId !== null && f.memberId === ctx.caller.memberId.toLowerCase()) return f;
  return (await keyMayWorkOn(ctx, f, "orders:read")) ? f : null;
}

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
