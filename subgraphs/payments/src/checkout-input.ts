import { isId, userError, type UserError, idempotencyKeyError } from "@o2o/runtime";
import type { CheckoutInput } from "./generated/graphql.ts";

export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;
/** How far a home delivery may come from (stores' limit). */
const MAX_DELIVERY_KM = 50;
/** Channels whose goods leave the store with the member: no fulfilment needed. */
const TAKEAWAY_CHANNELS = new Set(["IN_STORE_SCAN", "CHECKOUT_FREE"]);

/** Every problem with a checkout's shape, found before anything is read or written. */
export function checkoutInputErrors(input: CheckoutInput): UserError[] {
  const errors: UserError[] = [];
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  if (input.lines.length === 0 || input.lines.length > MAX_LINES) errors.push(userError("INVALID_LINES", `An order has 1 to ${MAX_LINES} lines.`, ["input", "lines"]));
  input.lines.forEach((line, i) => {
    if (!isId(line.productId)) errors.push(userError("UNKNOWN_PRODUCT", `No product has the id ${JSON.stringify(line.productId)}.`, ["input", "lines", i, "productId"]));
    if (line.storeId != null && !isId(line.storeId)) errors.push(userError("UNKNOWN_STORE", `No store has the id ${JSON.stringify(line.storeId)}.`, ["input", "lines", i, "storeId"]));
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      errors.push(userError("INVALID_QUANTITY", `quantity must be 1 to ${MAX_QUANTITY}, got ${line.quantity}.`, ["input", "lines", i, "quantity"]));
    }
  });
  if (input.attributedStoreId != null && !isId(input.attributedStoreId)) {
    errors.push(userError("UNKNOWN_STORE", `No store has the id ${JSON.stringify(input.attributedStoreId)}.`, ["input", "attributedStoreId"]));
  }
  if (input.channel === "SERVICE") errors.push(userError("INVALID_CHANNEL", "SERVICE orders are placed with checkoutServiceOrder.", ["input", "channel"]));
  const f = input.fulfillment;
  if (!f) {
    if (!TAKEAWAY_CHANNELS.has(input.channel)) errors.push(userError("FULFILLMENT_REQUIRED", `A ${input.channel} order needs a fulfillment choice.`, ["input", "fulfillment"]));
    else if (input.lines.some((l) => l.storeId == null)) errors.push(userError("STORE_REQUIRED", "Without a fulfillment every line needs the store it is taken from.", ["input", "lines"]));
    return errors;
  }
  if (f.type === "HOME_DELIVERY") {
    if (!f.address) errors.push(userError("ADDRESS_REQUIRED", "HOME_DELIVERY needs an address.", ["input", "fulfillment", "address"]));
    else if (Math.abs(f.address.lat) > 90 || Math.abs(f.address.lng) > 180) errors.push(userError("INVALID_LOCATION", "lat must be in [-90, 90] and lng in [-180, 180].", ["input", "fulfillment", "address"]));
    if (f.maxDistanceKm != null && !(f.maxDistanceKm > 0 && f.maxDistanceKm <= MAX_DELIVERY_KM)) {
      errors.push(userError("INVALID_DISTANCE", `maxDistanceKm must be greater than 0 and at most ${MAX_DELIVERY_KM}.`, ["input", "fulfillment", "maxDistanceKm"]));
    }
    if (input.taxFree) errors.push(userError("TAX_FREE_NEEDS_PICKUP", "Tax-free orders are handed over in a TAX_FREE store against the passport, not delivered.", ["input", "taxFree"]));
  } else {
    if (f.maxDistanceKm != null) errors.push(userError("INVALID_DISTANCE", "maxDistanceKm is for HOME_DELIVERY only.", ["input", "fulfillment", "maxDistanceKm"]));
    if (!f.storeId || !isId(f.storeId)) errors.push(userError("UNKNOWN_STORE", "A pickup needs the id of the pickup store.", ["input", "fulfillment", "storeId"]));
    if (!f.slotId) errors.push(userError("SLOT_REQUIRED", "A pickup needs a slot (Store.pickupSlots).", ["input", "fulfillment", "slotId"]));
  }
  return errors;
}
