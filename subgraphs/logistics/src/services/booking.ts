import { randomUUID } from "node:crypto";
import { forbidden, idempotencyKeyError, idempotent, isId, refuse, requireScope, seedId, settle, unauthenticated, userError, type Caller, type UserError } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { BookServiceInput } from "../generated/graphql.ts";
import { findSlot, MAX_DAYS_AHEAD } from "../slots.ts";
import type { ServiceOrderResult } from "./parents.ts";
import { orderEvent, legEvent, type Tx } from "./steps.ts";

/** Longest description a member may write about the item. */
export const MAX_DESCRIPTION = 500;

/** The signed-in member (scope orders:write); an API key is FORBIDDEN, an anonymous caller UNAUTHENTICATED. */
export function memberActing(caller: Caller, to: string): string {
  requireScope(caller, "orders:write");
  if (caller.memberId) return caller.memberId.toLowerCase();
  if (caller.keyId === null && caller.service === null) throw unauthenticated(`Sign in as a member to ${to}.`);
  throw forbidden(`Only a signed-in member may ${to}; API keys cannot.`);
}

const blank = (value: string | null | undefined) => !value || value.trim() === "";

/** Every problem with a booking's shape, found before anything is read. */
function bookingInputErrors(input: BookServiceInput): UserError[] {
  const errors: UserError[] = [];
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  if (!isId(input.storeId)) errors.push(userError("UNKNOWN_STORE", `No store has the id ${JSON.stringify(input.storeId)}.`, ["input", "storeId"]));
  if (blank(input.serviceCode)) errors.push(userError("SERVICE_NOT_OFFERED", "serviceCode is one of Store.services' codes.", ["input", "serviceCode"]));
  if (!isId(input.slotId)) errors.push(userError("SLOT_UNKNOWN", "That slot is not one of this store's (Store.serviceSlots lists them).", ["input", "slotId"]));
  if (blank(input.description) || input.description.length > MAX_DESCRIPTION) {
    errors.push(userError("INVALID_DESCRIPTION", `Describe the item and the work in 1 to ${MAX_DESCRIPTION} characters.`, ["input", "description"]));
  }
  const a = input.atYourDoor;
  if (a && [a.recipient, a.line1, a.city, a.postalCode, a.country].some(blank)) {
    errors.push(userError("ADDRESS_REQUIRED", "At your door needs a full address (recipient, line1, city, postal code, country).", ["input", "atYourDoor"]));
  }
  return errors;
}

/**
 * `bookService`: once per (member, idempotency key). The store must exist (stores is asked) and have a rate for the
 * service (and offer at-your-door when asked for); the slot must be one of its drop-off slots, ahead, ≤ 30 days, with
 * room. The order, its first event and (at your door) its PICKUP leg are written in one transaction, under the slot's
 * advisory lock, so a slot is never overbooked.
 */
export async function bookService(ctx: LogisticsContext, input: BookServiceInput): Promise<ServiceOrderResult> {
  const memberId = memberActing(ctx.caller, "book services");
  const errors = bookingInputErrors(input);
  if (errors.length) return { serviceOrderId: null, userErrors: errors };
  const id = seedId("service-order", `${memberId}:${input.idempotencyKey}`);
  return idempotent(ctx.prisma, "logistics", `book-service:${memberId}`, input.idempotencyKey, input, () =>
    settle<ServiceOrderResult>(
      async () => {
        // A crashed attempt with this key may have booked already: that booking is the answer.
        if (await ctx.prisma.serviceOrder.findUnique({ where: { id } })) return { serviceOrderId: id, userErrors: [] };
        await book(ctx, id, memberId, input);
        return { serviceOrderId: id, userErrors: [] };
      },
      (userErrors) => ({ serviceOrderId: null, userErrors }),
    ),
  );
}

async function book(ctx: LogisticsContext, id: string, memberId: string, input: BookServiceInput): Promise<void> {
  const storeId = input.storeId.toLowerCase();
  if ((await ctx.loaders.storeRetailer.load(storeId)) === null) refuse("UNKNOWN_STORE", `No store has the id ${input.storeId}.`, ["input", "storeId"]);
  const rate = await ctx.prisma.serviceRate.findFirst({ where: { storeId, offering: { code: input.serviceCode.trim() } }, include: { offering: true } });
  if (!rate) refuse("SERVICE_NOT_OFFERED", `This store does not offer ${input.serviceCode} (Store.services lists what it does).`, ["input", "serviceCode"]);
  const door = input.atYourDoor ?? null;
  if (door && !rate!.atYourDoor) refuse("DOOR_SERVICE_NOT_OFFERED", "This store does not pick up and return this service at your door; book a drop-off instead.", ["input", "atYourDoor"]);
  const address = door ? { recipient: door.recipient.trim(), line1: door.line1.trim(), city: door.city.trim(), postalCode: door.postalCode.trim(), country: door.country.trim() } : null;
  await ctx.prisma.$transaction(async (tx) => {
    const slot = await claimSlot(tx, storeId, input.slotId.toLowerCase());
    const now = new Date();
    await tx.serviceOrder.create({
      data: {
        id,
        memberId,
        storeId,
        offeringId: rate!.offeringId,
        description: input.description.trim(),
        status: "BOOKED",
        slotStartsAt: slot.startsAt,
        slotEndsAt: slot.endsAt,
        priceAmount: rate!.priceAmount,
        doorFeeAmount: door ? (rate!.doorFeeAmount ?? 0) : 0,
        currency: rate!.currency,
        atYourDoor: door !== null,
        ...(address ? { address } : {}),
        idempotencyKey: `book:${memberId}:${input.idempotencyKey}`,
        createdAt: now,
      },
    });
    await orderEvent(tx, id, "BOOKED", door ? "Booked; we pick the item up at your door" : "Booked; bring the item to the counter", now);
    if (address) {
      const legId = randomUUID();
      await tx.serviceLeg.create({ data: { id: legId, serviceOrderId: id, kind: "PICKUP", status: "SCHEDULED", address, createdAt: now } });
      await legEvent(tx, legId, "SCHEDULED", "Pickup scheduled in the booked slot", now);
    }
  });
}

/**
 * The drop-off slot behind the id (same ids as the store's counter windows), checked and locked for this transaction:
 * concurrent bookings of one slot queue on an advisory lock keyed by store and start, so counting and inserting
 * cannot interleave (no overbooking on PostgreSQL and PGlite alike).
 */
async function claimSlot(tx: Tx, storeId: string, wanted: string): Promise<{ startsAt: Date; endsAt: Date }> {
  const slot = await findSlot(tx, storeId, wanted);
  if (!slot) return refuse("SLOT_UNKNOWN", "That slot is not one of this store's (Store.serviceSlots lists them).", ["input", "slotId"]);
  if (slot.startsAt.getTime() <= Date.now()) refuse("SLOT_IN_PAST", "That slot has already started; pick a later one.", ["input", "slotId"]);
  if (slot.daysAhead > MAX_DAYS_AHEAD) refuse("SLOT_TOO_FAR", `Slots can be booked at most ${MAX_DAYS_AHEAD} days ahead.`, ["input", "slotId"]);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('service:' || ${storeId}::text || ${slot.startsAt.toISOString()}::text))`;
  const booked = await tx.serviceOrder.count({ where: { storeId, slotStartsAt: slot.startsAt, status: { not: "CANCELLED" } } });
  if (booked >= slot.capacity) refuse("SLOT_FULL", "That slot is full; pick another one.", ["input", "slotId"]);
  return slot;
}
