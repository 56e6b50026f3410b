import { randomInt } from "node:crypto";
import { enqueue, isId } from "@o2o/runtime";
import { noteSlotChange } from "./cache-invalidation.ts";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentStatus, FulfillmentType } from "./generated/prisma/enums.ts";
import type { FulfillmentModel } from "./generated/prisma/models.ts";
import { isPickup } from "./hold-rules.ts";
import { done, notFound, requireCounterKey, userError, type FulfillmentResult } from "./payloads.ts";
import { keyMayWorkOn } from "./store-owners.ts";
import { move, type Tx } from "./transitions.ts";

/**
 * A fulfilment's life after checkout: paid (PENDING, pickups get their code), packed (READY_FOR_PICKUP) and handed
 * over (handover.ts), or dispatched and delivered; cancelled with its order. Each change is one transaction with its
 * tracking event and, where others care, its outbox event.
 */

/** A 6-digit code from a CSPRNG: it is the member's only proof at the counter. */
const pickupCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** payment.captured: the hold becomes a fulfilment to prepare. Anything but AWAITING_PAYMENT is left alone. */
export async function activate(tx: Tx, orderId: string): Promise<void> {
  const f = await tx.fulfillment.findUnique({ where: { orderId } });
  if (!f) return;
  await move(tx, f.id, ["AWAITING_PAYMENT"], "PENDING", "Paid; being prepared", { pickupCode: isPickup(f.type) ? pickupCode() : null });
}

/** Statuses a cancelled or refunded order still takes back (handed-over goods stay handed over). */
const OPEN: FulfillmentStatus[] = ["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP", "OUT_FOR_DELIVERY"];

/**
 * order.cancelled / order.refunded: the fulfilment is cancelled (its slot freed) unless already PICKED_UP or DELIVERED.
 * Runs in the consumer's slot transaction (server.ts), which invalidates the store's cached slots once it commits.
 */
export async function cancelWithOrder(tx: Tx, orderId: string, note: string): Promise<void> {
  const f = await tx.fulfillment.findUnique({ where: { orderId } });
  if (f && (await move(tx, f.id, OPEN, "CANCELLED", note)) && f.storeId && f.slotStartsAt) noteSlotChange(tx, f.storeId);
}

interface Step {
  /** The fulfilment types the step applies to. */
  types: (type: FulfillmentType) => boolean;
  typeMessage: string;
  from: FulfillmentStatus;
  to: FulfillmentStatus;
  /** Events and other side effects in the same transaction. */
  after?: (tx: Tx, f: FulfillmentModel) => Promise<unknown>;
}

/** Runs one staff step: NOT_FOUND / INVALID_STATE as userErrors (nothing written), else the move and its event. */
async function step(ctx: LogisticsContext, id: string, s: Step, note: string | null): Promise<FulfillmentResult> {
  requireCounterKey(ctx.caller);
  const f = isId(id) ? await ctx.prisma.fulfillment.findUnique({ where: { id: id.toLowerCase() } }) : null;
  // Another retailer's fulfilment is answered like an unknown one: a key learns nothing about it.
  if (!f || !(await keyMayWorkOn(ctx, f, "fulfillment:write"))) return notFound(["fulfillmentId"]);
  if (!s.types(f.type)) return userError(f.id, "INVALID_STATE", s.typeMessage, ["fulfillmentId"]);
  const moved = await ctx.prisma.$transaction(async (tx) => {
    if (!(await move(tx, f.id, [s.from], s.to, note))) return false;
    await s.after?.(tx, f);
    return true;
  });
  if (!moved) {
    // Also covers a concurrent step that got there first: the status is read again for the message.
    const now = (await ctx.prisma.fulfillment.findUnique({ where: { id: f.id } }))?.status ?? f.status;
    return userError(f.id, "INVALID_STATE", `The fulfilment is ${now}; this needs ${s.from}.`, ["fulfillmentId"]);
  }
  ctx.kick();
  return done(f.id);
}

const isDelivery = (type: FulfillmentType) => type === "HOME_DELIVERY";

export const markReady = (ctx: LogisticsContext, id: string) =>
  step(
    ctx,
    id,
    {
      types: isPickup,
      typeMessage: "Only pickups wait at a counter; a home delivery is dispatched.",
      from: "PENDING",
      to: "READY_FOR_PICKUP",
      after: (tx, f) => enqueue(tx, "logistics", "fulfillment.ready", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, storeId: f.storeId }),
    },
    "Packed; waiting at the counter",
  );

export const dispatch = (ctx: LogisticsContext, id: string, note: string | null) =>
  step(ctx, id, { types: isDelivery, typeMessage: "Only home deliveries are dispatched.", from: "PENDING", to: "OUT_FOR_DELIVERY" }, note ?? "Out for delivery");

export const confirmDelivery = (ctx: LogisticsContext, id: string) =>
  step(
    ctx,
    id,
    {
      types: isDelivery,
      typeMessage: "Only home deliveries are delivered; pickups are handed over.",
      from: "OUT_FOR_DELIVERY",
      to: "DELIVERED",
      after: (tx, f) => enqueue(tx, "logistics", "fulfillment.completed", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, status: "DELIVERED" }),
    },
    "Delivered",
  );
