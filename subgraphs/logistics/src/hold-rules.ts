import type { FulfillmentType } from "./generated/prisma/enums.ts";

/**
 * What a checkout's fulfilment choice needs from the store, decided from the facts payments passes along
 * (stores owns them; logistics does not read its tables). Pure: no SQL, so a refusal costs nothing.
 */
export interface HoldInput {
  orderId: string;
  memberId: string;
  type: FulfillmentType;
  storeId: string;
  slotId?: string | null;
  storeFormat: string;
  storeCapabilities: string[];
  temperatureClasses: string[];
  taxFree: boolean;
  address?: HoldAddress | null;
  /** HOME_DELIVERY: km from the dispatching store to the address (the promised window follows from it). */
  deliveryDistanceKm?: number | null;
}

export interface HoldAddress {
  recipient: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Refusal {
  code: string;
  message: string;
}

/** Types collected by the customer: they get a slot, a pickup code and a storage check. */
export const isPickup = (type: FulfillmentType) => type !== "HOME_DELIVERY";

/** Whether the store hands over this pickup type at all. */
export function pickupOffered(type: FulfillmentType, format: string, capabilities: ReadonlySet<string>): boolean {
  switch (type) {
    case "STORE_PICKUP":
      return capabilities.has("PICKUP");
    case "CONVENIENCE_PICKUP":
      return format === "CONVENIENCE" && capabilities.has("PICKUP");
    case "PICKUP_POINT":
      // A locker or pickup point by format, or any store with a pickup counter.
      return format === "PICKUP_POINT" || capabilities.has("PICKUP");
    case "HOME_DELIVERY":
      return true;
  }
}

/** Chilled goods wait in a chiller (a freezer does too); frozen goods need a freezer. Null when storage is fine. */
export function missingStorage(temperatureClasses: readonly string[], capabilities: ReadonlySet<string>): "chilled" | "frozen" | null {
  if (temperatureClasses.includes("FROZEN") && !capabilities.has("FROZEN_STORAGE")) return "frozen";
  if (temperatureClasses.includes("CHILLED") && !capabilities.has("CHILLED_STORAGE") && !capabilities.has("FROZEN_STORAGE")) return "chilled";
  return null;
}

const blank = (value: string | undefined) => !value || value.trim() === "";

/** The refusals that need no database, in the order a customer can fix them; null when the input may be booked. */
export function staticRefusal(input: HoldInput): Refusal | null {
  const caps = new Set(input.storeCapabilities);
  if (!pickupOffered(input.type, input.storeFormat, caps)) {
    return { code: "PICKUP_NOT_OFFERED", message: `This store does not offer ${input.type}; choose another store or fulfilment type.` };
  }
  if (isPickup(input.type)) {
    const missing = missingStorage(input.temperatureClasses, caps);
    if (missing) return { code: "STORAGE_UNAVAILABLE", message: `This store cannot keep ${missing} goods until pickup; choose a store with ${missing} storage or home delivery.` };
    if (!input.slotId) return { code: "SLOT_REQUIRED", message: "A pickup needs a slot (one of Store.pickupSlots)." };
  } else {
    const a = input.address;
    if (!a || [a.recipient, a.line1, a.city, a.postalCode, a.country].some(blank)) {
      return { code: "ADDRESS_REQUIRED", message: "A home delivery needs a full address (recipient, line1, city, postal code, country)." };
    }
  }
  return null;
}
