import { randomInt, randomUUID } from "node:crypto";
import { enqueue, forbidden, hasScope, isId, type Caller } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { FulfillmentStatus } from "./generated/prisma/enums.ts";
import type { FulfillmentModel } from "./generated/prisma/models.ts";

/**
 * A fulfilment's life after checkout: paid (PENDING, with a pickup code), packed (READY_FOR_PICKUP),
 * handed over against the code (PICKED_UP), or dispatched and delivered. Every change is one transaction
 * with its tracking event and, where others care, its outbox event.
 */
type Tx = Prisma.TransactionClient;

export const PICKUP_TYPES = new Set(["STORE_PICKUP", "CONVENIENCE_PICKUP", "PICKUP_POINT"]);
export const MAX_CODE_ATTEMPTS = 5;

export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}
export type FulfillmentResult = { fulfillmentId: string | null; userErrors: UserError[] };

const ok = (fulfillmentId: string): FulfillmentResult => ({ fulfillmentId, userErrors: [] });
const refused = (fulfillmentId: string | null, code: string, message: string, field: string[] | null = null): FulfillmentResult => ({
  fulfillmentId,
  userErrors: [{ code, message, field }],
});

export function requireStaff(caller: Caller): void {
  if (!hasScope(caller, "store:operate")) throw forbidden("Store operations need the store:operate scope.");
}

/** payment.captured: the hold becomes a real fulfilment; pickups get their unguessable code. */
export async function activate(tx: Tx, orderId: string): Promise<void> {
  const f = await tx.fulfillment.findUnique({ where: { orderId } });
  if (!f || f.status !== "AWAITING_PAYMENT") return;
  const pickupCode = PICKUP_TYPES.has(f.type) ? String(randomInt(0, 1_000_000)).padStart(6, "0") : null;
  await tx.fulfillment.update({ where: { id: f.id }, data: { status: "PENDING", pickupCode } });
  await track(tx, f.id, "PENDING", PICKUP_TYPES.has(f.type) ? "Paid; being prepared" : "Paid; waiting for dispatch");
}

const track = (tx: Tx, fulfillmentId: string, status: FulfillmentStatus, note: string | null) =>
  tx.trackingEvent.create({ data: { id: randomUUID(), fulfillmentId, status, at: new Date(), note } });

async function transition(
  ctx: LogisticsContext,
  id: string,
  check: (f: FulfillmentModel) => FulfillmentResult | null,
  apply: (tx: Tx, f: FulfillmentModel) => Promise<void>,
): Promise<FulfillmentResult> {
  requireStaff(ctx.caller);
  if (!isId(id)) return refused(null, "NOT_FOUND", "No fulfilment has that id.", ["fulfillmentId"]);
  const f = await ctx.prisma.fulfillment.findUnique({ where: { id: id.toLowerCase() } });
  if (!f) return refused(null, "NOT_FOUND", "No fulfilment has that id.", ["fulfillmentId"]);
  const problem = check(f);
  if (problem) return problem;
  await ctx.prisma.$transaction((tx) => apply(tx, f));
  ctx.kick();
  return ok(f.id);
}

const wrongState = (f: FulfillmentModel, wanted: string) => refused(f.id, "INVALID_STATE", `The fulfilment is ${f.status}; this needs ${wanted}.`);

export const markReady = (ctx: LogisticsContext, id: string) =>
  transition(
    ctx,
    id,
    (f) => (!PICKUP_TYPES.has(f.type) ? refused(f.id, "INVALID_STATE", "Only pickups wait at a counter.") : f.status !== "PENDING" ? wrongState(f, "PENDING") : null),
    async (tx, f) => {
      await tx.fulfillment.update({ where: { id: f.id }, data: { status: "READY_FOR_PICKUP" } });
      await track(tx, f.id, "READY_FOR_PICKUP", "Packed; waiting at the counter");
      await enqueue(tx, "logistics", "fulfillment.ready", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, storeId: f.storeId });
    },
  );

export const dispatch = (ctx: LogisticsContext, id: string, note: string | null) =>
  transition(
    ctx,
    id,
    (f) => (f.type !== "HOME_DELIVERY" ? refused(f.id, "INVALID_STATE", "Only home deliveries are dispatched.") : f.status !== "PENDING" ? wrongState(f, "PENDING") : null),
    async (tx, f) => {
      await tx.fulfillment.update({ where: { id: f.id }, data: { status: "OUT_FOR_DELIVERY" } });
      await track(tx, f.id, "OUT_FOR_DELIVERY", note);
    },
  );

export const confirmDelivery = (ctx: LogisticsContext, id: string) =>
  transition(
    ctx,
    id,
    (f) => (f.status !== "OUT_FOR_DELIVERY" ? wrongState(f, "OUT_FOR_DELIVERY") : null),
    async (tx, f) => {
      await tx.fulfillment.update({ where: { id: f.id }, data: { status: "DELIVERED" } });
      await track(tx, f.id, "DELIVERED", null);
      await enqueue(tx, "logistics", "fulfillment.completed", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, status: "DELIVERED" });
    },
  );

/**
 * Handover at the counter: READY_FOR_PICKUP, the right code (five wrong ones lock it), and for tax-free orders
 * the passport the member verified (asked of members, which holds it).
 */
export async function handOver(ctx: LogisticsContext, input: { fulfillmentId: string; pickupCode: string; passportNumber?: string | null }, passportMatches: (memberId: string, number: string) => Promise<boolean>): Promise<FulfillmentResult> {
  requireStaff(ctx.caller);
  const f = isId(input.fulfillmentId) ? await ctx.prisma.fulfillment.findUnique({ where: { id: input.fulfillmentId.toLowerCase() } }) : null;
  if (!f) return refused(null, "NOT_FOUND", "No fulfilment has that id.", ["input", "fulfillmentId"]);
  if (f.status !== "READY_FOR_PICKUP") return wrongState(f, "READY_FOR_PICKUP");
  if (f.failedCodeAttempts >= MAX_CODE_ATTEMPTS) return refused(f.id, "PICKUP_LOCKED", "Too many wrong codes: the member must contact the store.", ["input", "pickupCode"]);
  if (input.pickupCode !== f.pickupCode) {
    await ctx.prisma.fulfillment.update({ where: { id: f.id }, data: { failedCodeAttempts: { increment: 1 } } });
    return refused(f.id, "WRONG_PICKUP_CODE", "That is not this order's pickup code.", ["input", "pickupCode"]);
  }
  if (f.requiresPassportCheck) {
    if (!input.passportNumber) return refused(f.id, "PASSPORT_REQUIRED", "A tax-free order is handed over against the visitor's passport.", ["input", "passportNumber"]);
    if (!f.memberId || !(await passportMatches(f.memberId, input.passportNumber))) {
      return refused(f.id, "PASSPORT_MISMATCH", "This passport is not the one verified for the member.", ["input", "passportNumber"]);
    }
  }
  const done = await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.fulfillment.updateMany({ where: { id: f.id, status: "READY_FOR_PICKUP" }, data: { status: "PICKED_UP" } });
    if (claimed.count !== 1) return false;
    await track(tx, f.id, "PICKED_UP", f.requiresPassportCheck ? "Passport checked, tax-free" : null);
    await enqueue(tx, "logistics", "fulfillment.completed", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, status: "PICKED_UP" });
    return true;
  });
  ctx.kick();
  return done ? ok(f.id) : wrongState(f, "READY_FOR_PICKUP");
}
