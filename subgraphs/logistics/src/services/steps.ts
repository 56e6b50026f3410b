import { randomUUID } from "node:crypto";
import { enqueue, forbidden, isId, requireScope, Refusal, userError, type Caller } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ServiceLegKind, ServiceLegStatus, ServiceOrderStatus } from "../generated/prisma/enums.ts";
import type { ServiceLegModel, ServiceOrderModel } from "../generated/prisma/models.ts";
import type { ServiceOrderResult } from "./parents.ts";
import { keyMayServe } from "./reads.ts";

/**
 * A service order's status path, one transaction per step with its event:
 *   BOOKED → RECEIVED → IN_PROGRESS → READY → COLLECTED (counter), or → DELIVERED (the RETURN leg completed).
 * Each step is conditional on the status it leaves, so concurrent callers cannot both make it; replaying a step whose
 * target is the current status answers the order unchanged (a no-op); any other status is INVALID_TRANSITION.
 */
export type Tx = Prisma.TransactionClient;

export const orderEvent = (tx: Tx, serviceOrderId: string, status: ServiceOrderStatus, note: string | null, at: Date = new Date()) =>
  tx.serviceOrderEvent.create({ data: { id: randomUUID(), serviceOrderId, status, note, at } });

export const legEvent = (tx: Tx, legId: string, status: ServiceLegStatus, note: string | null, at: Date = new Date()) =>
  tx.serviceLegEvent.create({ data: { id: randomUUID(), legId, status, note, at } });

export const done = (serviceOrderId: string): ServiceOrderResult => ({ serviceOrderId, userErrors: [] });
export const refused = (serviceOrderId: string | null, code: string, message: string, field: string[] | null = ["serviceOrderId"]): ServiceOrderResult => ({
  serviceOrderId,
  userErrors: [userError(code, message, field)],
});
export const notFound = () => refused(null, "NOT_FOUND", "No service order has that id.");

/** Paid enough to hand the item back: captured, or authorised (captured when handed back, like pay-at-pickup). */
export const isPaid = (o: Pick<ServiceOrderModel, "paymentState">) => o.paymentState === "PAID" || o.paymentState === "AUTHORIZED";

/** Counter work needs an API key with services:write (members and other callers FORBIDDEN). */
export function requireServiceKey(caller: Caller): void {
  requireScope(caller, "services:write");
  if (caller.keyId === null) throw forbidden("Service counter operations are done with a retailer's (or the platform's) API key.");
}

/** The order behind the id for a counter key: another retailer's is NOT_FOUND, like an unknown one. */
async function orderForKey(ctx: LogisticsContext, id: string): Promise<ServiceOrderModel | null> {
  requireServiceKey(ctx.caller);
  const o = isId(id) ? await ctx.prisma.serviceOrder.findUnique({ where: { id: id.toLowerCase() } }) : null;
  return o && (await keyMayServe(ctx, o, "services:write")) ? o : null;
}

/** The member's own order (a member token); anyone else's is NOT_FOUND. */
export async function orderForMember(ctx: LogisticsContext, memberId: string, id: string): Promise<ServiceOrderModel | null> {
  const o = isId(id) ? await ctx.prisma.serviceOrder.findUnique({ where: { id: id.toLowerCase() } }) : null;
  return o && o.memberId === memberId ? o : null;
}

const invalid = (o: ServiceOrderModel, wanted: string) =>
  refused(o.id, "INVALID_TRANSITION", `The service order is ${o.status}; this needs ${wanted}.`);

/** Thrown inside a step's transaction to roll it back with a userError. */
const stop = (code: string, message: string, field: string[] | null = ["serviceOrderId"]): never => {
  throw new Refusal(userError(code, message, field));
};

interface Step {
  from: ServiceOrderStatus;
  to: ServiceOrderStatus;
  note: string;
  /** Refusals that depend on the order (checked before writing, again inside where it can race). */
  check?: (o: ServiceOrderModel) => ServiceOrderResult | null;
  /** Extra conditions of the conditional update (e.g. still paid). */
  where?: Prisma.ServiceOrderWhereInput;
  after?: (tx: Tx, o: ServiceOrderModel) => Promise<unknown>;
}

/** Runs one counter step: NOT_FOUND, a no-op replay, INVALID_TRANSITION or the step's own refusal, else the move. */
async function counterStep(ctx: LogisticsContext, id: string, s: Step): Promise<ServiceOrderResult> {
  const o = await orderForKey(ctx, id);
  if (!o) return notFound();
  return applyStep(ctx, o, s);
}

export async function applyStep(ctx: LogisticsContext, o: ServiceOrderModel, s: Step): Promise<ServiceOrderResult> {
  if (o.status === s.to) return done(o.id);
  if (o.status !== s.from) return invalid(o, s.from);
  const problem = s.check?.(o);
  if (problem) return problem;
  const moved = await ctx.prisma.$transaction(async (tx) => {
    const changed = await tx.serviceOrder.updateMany({ where: { ...s.where, id: o.id, status: s.from }, data: { status: s.to } });
    if (changed.count !== 1) return false;
    await orderEvent(tx, o.id, s.to, s.note);
    await s.after?.(tx, o);
    return true;
  });
  if (!moved) {
    // A concurrent step got there first (or the payment changed): answer from the order as it is now.
    const now = (await ctx.prisma.serviceOrder.findUnique({ where: { id: o.id } }))!;
    if (now.status === s.to) return done(o.id);
    return now.status !== s.from ? invalid(now, s.from) : (s.check?.(now) ?? invalid(now, s.from));
  }
  ctx.kick();
  return done(o.id);
}

/** `service.completed`: payments completes the order that charged it (and captures an authorised payment). */
const announceCompleted = (tx: Tx, o: ServiceOrderModel, status: ServiceOrderStatus) =>
  enqueue(tx, "logistics", "service.completed", { orderId: o.paymentOrderId, serviceOrderId: o.id, memberId: o.memberId, storeId: o.storeId, status });

const scheduleReturn = async (tx: Tx, o: ServiceOrderModel, note: string) => {
  if (!o.atYourDoor || !o.address) return;
  const id = randomUUID();
  await tx.serviceLeg.create({ data: { id, serviceOrderId: o.id, kind: "RETURN", status: "SCHEDULED", address: o.address } });
  await legEvent(tx, id, "SCHEDULED", note);
};

const legOf = (ctx: LogisticsContext, o: ServiceOrderModel, kind: ServiceLegKind) =>
  ctx.prisma.serviceLeg.findUnique({ where: { serviceOrderId_kind: { serviceOrderId: o.id, kind } } });

const notPaid = (o: ServiceOrderModel) =>
  refused(o.id, "NOT_PAID", `The service order is ${o.paymentState}; it is handed back once paid (checkoutServiceOrder, then payOrder).`);

export async function receiveItem(ctx: LogisticsContext, id: string): Promise<ServiceOrderResult> {
  const o = await orderForKey(ctx, id);
  if (!o) return notFound();
  const pickup = o.atYourDoor ? await legOf(ctx, o, "PICKUP") : null;
  return applyStep(ctx, o, {
    from: "BOOKED",
    to: "RECEIVED",
    note: o.atYourDoor ? "Picked up at your door and received at the centre" : "Handed in at the counter",
    check: (x) =>
      x.atYourDoor && pickup?.status !== "COMPLETED"
        ? refused(x.id, "PICKUP_NOT_COMPLETED", `The PICKUP leg is ${pickup?.status ?? "missing"}; the item is received once it reached the centre.`)
        : null,
  });
}

export const startWork = (ctx: LogisticsContext, id: string) =>
  counterStep(ctx, id, {
    from: "RECEIVED",
    to: "IN_PROGRESS",
    note: "Work started",
    check: (o) => (o.quoteStatus === "PENDING" ? refused(o.id, "QUOTE_NOT_ACCEPTED", "A requote waits for the member's acceptance; work starts once it is accepted.") : null),
    // A quote made meanwhile blocks the start too.
    where: { OR: [{ quoteStatus: null }, { quoteStatus: { not: "PENDING" } }] },
  });

export const markReady = (ctx: LogisticsContext, id: string) =>
  counterStep(ctx, id, {
    from: "IN_PROGRESS",
    to: "READY",
    note: "Ready",
    after: (tx, o) => scheduleReturn(tx, o, "Return to your door scheduled"),
  });

export const collect = (ctx: LogisticsContext, id: string) =>
  counterStep(ctx, id, {
    from: "READY",
    to: "COLLECTED",
    note: "Collected at the counter",
    check: (o) =>
      o.atYourDoor
        ? refused(o.id, "DOOR_RETURN_BOOKED", "This order goes back to the member's door: complete its RETURN leg instead.")
        : !isPaid(o)
          ? notPaid(o)
          : null,
    where: { paymentState: { in: ["PAID", "AUTHORIZED"] } },
    after: (tx, o) => announceCompleted(tx, o, "COLLECTED"),
  });

/** `requoteServiceOrder`: while RECEIVED, a new pending quote (the same quote again is a no-op). */
export async function requote(ctx: LogisticsContext, id: string, price: number, reason: string): Promise<ServiceOrderResult> {
  const o = await orderForKey(ctx, id);
  if (!o) return notFound();
  if (!Number.isInteger(price) || price < 0 || price > 10_000_000) return refused(o.id, "INVALID_PRICE", "price is an amount in minor units of JPY, 0 to 10,000,000.", ["price"]);
  const why = reason.trim();
  if (!why || why.length > 500) return refused(o.id, "REASON_REQUIRED", "Say why the price changes (1 to 500 characters).", ["reason"]);
  if (o.quoteStatus === "PENDING" && o.quoteAmount === price && o.quoteReason === why) return done(o.id);
  if (o.status !== "RECEIVED") return invalid(o, "RECEIVED (requotes are made before work starts)");
  const now = new Date();
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const c = await tx.serviceOrder.updateMany({
      where: { id: o.id, status: "RECEIVED" },
      data: { quoteAmount: price, quoteReason: why, quoteStatus: "PENDING", quotedAt: now, quoteDecidedAt: null },
    });
    if (c.count !== 1) return false;
    await orderEvent(tx, o.id, "RECEIVED", `Requoted: ${price} ${o.currency} (${why}); waiting for your acceptance`, now);
    await enqueue(tx, "logistics", "service.requoted", { serviceOrderId: o.id, memberId: o.memberId, amount: price, currency: o.currency });
    return true;
  });
  if (!changed) return invalid((await ctx.prisma.serviceOrder.findUnique({ where: { id: o.id } }))!, "RECEIVED");
  ctx.kick();
  return done(o.id);
}

/** `acceptServiceQuote` (the member's own order): the quote's price becomes the agreed price. Accepting again: no-op. */
export async function acceptQuote(ctx: LogisticsContext, memberId: string, id: string): Promise<ServiceOrderResult> {
  const o = await orderForMember(ctx, memberId, id);
  if (!o) return notFound();
  if (o.quoteStatus === "ACCEPTED") return done(o.id);
  if (o.quoteStatus !== "PENDING") return noQuote(o);
  const now = new Date();
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const c = await tx.serviceOrder.updateMany({
      where: { id: o.id, status: "RECEIVED", quoteStatus: "PENDING", quoteAmount: o.quoteAmount, quotedAt: o.quotedAt },
      data: { quoteStatus: "ACCEPTED", quoteDecidedAt: now, priceAmount: o.quoteAmount! },
    });
    if (c.count !== 1) return false;
    await orderEvent(tx, o.id, "RECEIVED", `Quote of ${o.quoteAmount} ${o.currency} accepted`, now);
    return true;
  });
  if (changed) return done(o.id);
  // Accepted meanwhile (a concurrent accept): the same answer; otherwise the quote changed under the member's eyes,
  // and they must look at the new one rather than accept a price they did not see.
  const fresh = (await ctx.prisma.serviceOrder.findUnique({ where: { id: o.id } }))!;
  if (fresh.quoteStatus === "ACCEPTED") return done(o.id);
  return fresh.quoteStatus === "PENDING" ? refused(o.id, "QUOTE_CHANGED", "The quote changed meanwhile; look at the new one before accepting it.") : noQuote(fresh);
}

/**
 * `declineServiceQuote`: the work is not done and nothing is charged: the order is CANCELLED and the item goes back
 * unrepaired (waiting at the counter, or at your door a RETURN leg is scheduled). Declining again: no-op.
 */
export async function declineQuote(ctx: LogisticsContext, memberId: string, id: string): Promise<ServiceOrderResult> {
  const o = await orderForMember(ctx, memberId, id);
  if (!o) return notFound();
  if (o.quoteStatus === "DECLINED") return done(o.id);
  if (o.quoteStatus === "ACCEPTED") return refused(o.id, "QUOTE_ALREADY_ACCEPTED", "The quote was accepted already; it can no longer be declined.");
  if (o.quoteStatus !== "PENDING") return noQuote(o);
  const now = new Date();
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const c = await tx.serviceOrder.updateMany({
      where: { id: o.id, status: "RECEIVED", quoteStatus: "PENDING" },
      data: { status: "CANCELLED", quoteStatus: "DECLINED", quoteDecidedAt: now },
    });
    if (c.count !== 1) return false;
    const back = o.atYourDoor ? "returned unrepaired to your door" : "waiting unrepaired at the counter";
    await orderEvent(tx, o.id, "CANCELLED", `Quote of ${o.quoteAmount} ${o.currency} declined; nothing charged, the item is ${back}`, now);
    await scheduleReturn(tx, o, "Return of the unrepaired item scheduled");
    return true;
  });
  if (!changed) return declineQuote(ctx, memberId, id);
  ctx.kick();
  return done(o.id);
}

const noQuote = (o: ServiceOrderModel) => refused(o.id, "NO_PENDING_QUOTE", "This service order has no quote waiting for you.");

/** `dispatchServiceLeg`: SCHEDULED → IN_TRANSIT (again: no-op). PICKUP while BOOKED; RETURN once READY and paid, or after a declined quote. */
export async function dispatchLeg(ctx: LogisticsContext, id: string, kind: ServiceLegKind, note: string | null): Promise<ServiceOrderResult> {
  const o = await orderForKey(ctx, id);
  if (!o) return notFound();
  const leg = await legOf(ctx, o, kind);
  if (!leg) return noLeg(o, kind);
  if (leg.status === "IN_TRANSIT") return done(o.id);
  if (leg.status !== "SCHEDULED") return legInvalid(o, leg, "SCHEDULED");
  if (kind === "PICKUP" && o.status !== "BOOKED") return invalid(o, "BOOKED");
  if (kind === "RETURN" && o.status === "READY" && !isPaid(o)) return notPaid(o);
  return moveLeg(ctx, o, leg, "SCHEDULED", "IN_TRANSIT", note ?? (kind === "PICKUP" ? "On the way to pick the item up" : "On the way back to your door"));
}

/** `completeServiceLeg`: IN_TRANSIT → COMPLETED (again: no-op). The RETURN leg of a READY order makes it DELIVERED (paid). */
export async function completeLeg(ctx: LogisticsContext, id: string, kind: ServiceLegKind, note: string | null): Promise<ServiceOrderResult> {
  const o = await orderForKey(ctx, id);
  if (!o) return notFound();
  const leg = await legOf(ctx, o, kind);
  if (!leg) return noLeg(o, kind);
  if (leg.status === "COMPLETED") return done(o.id);
  if (leg.status !== "IN_TRANSIT") return legInvalid(o, leg, "IN_TRANSIT");
  const delivers = kind === "RETURN" && o.status === "READY";
  if (delivers && !isPaid(o)) return notPaid(o);
  return moveLeg(ctx, o, leg, "IN_TRANSIT", "COMPLETED", note ?? (kind === "PICKUP" ? "Item picked up and brought to the centre" : "Handed back at your door"), async (tx) => {
    if (!delivers) return;
    const c = await tx.serviceOrder.updateMany({ where: { id: o.id, status: "READY", paymentState: { in: ["PAID", "AUTHORIZED"] } }, data: { status: "DELIVERED" } });
    if (c.count !== 1) stop("NOT_PAID", "The service order is no longer READY and paid.");
    await orderEvent(tx, o.id, "DELIVERED", "Delivered to your door");
    await announceCompleted(tx, o, "DELIVERED");
  });
}

async function moveLeg(
  ctx: LogisticsContext,
  o: ServiceOrderModel,
  leg: ServiceLegModel,
  from: ServiceLegStatus,
  to: ServiceLegStatus,
  note: string,
  after?: (tx: Tx) => Promise<void>,
): Promise<ServiceOrderResult> {
  try {
    const moved = await ctx.prisma.$transaction(async (tx) => {
      const c = await tx.serviceLeg.updateMany({ where: { id: leg.id, status: from }, data: { status: to } });
      if (c.count !== 1) return false;
      await legEvent(tx, leg.id, to, note);
      await after?.(tx);
      return true;
    });
    if (!moved) {
      const now = (await ctx.prisma.serviceLeg.findUnique({ where: { id: leg.id } }))!;
      return now.status === to ? done(o.id) : legInvalid(o, now, from);
    }
  } catch (error) {
    if (error instanceof Refusal) return { serviceOrderId: o.id, userErrors: [error.error] };
    throw error;
  }
  ctx.kick();
  return done(o.id);
}

const noLeg = (o: ServiceOrderModel, kind: ServiceLegKind) =>
  refused(
    o.id,
    "LEG_NOT_SCHEDULED",
    o.atYourDoor ? `The ${kind} leg is not scheduled yet (the return is scheduled once the order is READY).` : "This order was booked for the counter: it has no at-your-door legs.",
    ["leg"],
  );

const legInvalid = (o: ServiceOrderModel, leg: ServiceLegModel, wanted: ServiceLegStatus) =>
  refused(o.id, "INVALID_TRANSITION", `The ${leg.kind} leg is ${leg.status}; this needs ${wanted}.`, ["leg"]);
