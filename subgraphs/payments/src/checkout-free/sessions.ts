import { enqueue, forbidden, idempotent, isId, keyMayActAtStore, parseId, Refusal, refuse, requireScope, seedId, settle, type UserError } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import type { PaymentsContext } from "../context.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { ShoppingSessionModel } from "../generated/prisma/models.ts";
import type { CloseShoppingSessionInput, RecordShelfEventInput } from "../generated/graphql.ts";
import { announceCapture } from "../capture.ts";
import { chargeCard } from "../processor.ts";
import { releaseStock, reserveStock, storeFacts } from "../siblings.ts";
import { debit, walletAccount } from "../stored-value.ts";
import { verifyEntryPass } from "./entry-pass.ts";
import { basketProducts, type BasketProduct } from "./products.ts";
import { receiptEmail } from "./receipts.ts";
import { nextOrderNumber, orderLineRows } from "../new-orders.ts";

/**
 * Shopping sessions in a checkout-free store. The entry gate opens one with the member's entry pass, shelf sensors
 * report products taken and put back, the exit gate closes it: the basket is priced, stock taken at the store, the
 * member's default payment method charged and captured, the e-receipt written and its email queued.
 * Every call comes from a device key with `sensors:write` that serves the session's store (keyMayActAtStore).
 */
export type SessionResult = { sessionId: string | null; userErrors: UserError[] };
export interface BasketLineParent {
  productId: string;
  quantity: number;
}

const MAX_QUANTITY = 99;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const failed = (userErrors: UserError[]): SessionResult => ({ sessionId: null, userErrors });

/** Gates and sensors are keys: members (no sensors:write) and services are FORBIDDEN. */
function requireDeviceKey(ctx: PaymentsContext): void {
  requireScope(ctx.caller, "sensors:write");
  if (ctx.caller.keyId === null) throw forbidden("Only a store's gate or sensor key (sensors:write) may do this.");
}

const serves = (ctx: PaymentsContext, session: { storeId: string; retailerId: string }) => keyMayActAtStore(ctx.caller, "sensors:write", session.storeId, session.retailerId);

/** `openShoppingSession`: PASS_INVALID / PASS_EXPIRED / WRONG_STORE / PASS_USED, else a new OPEN session. */
export function openShoppingSession(ctx: PaymentsContext, pass: string): Promise<SessionResult> {
  requireDeviceKey(ctx);
  return settle<SessionResult>(async () => {
    const claims = verifyEntryPass(pass);
    const [store] = await storeFacts(ctx.peers, [claims.storeId]);
    if (!store || !serves(ctx, { storeId: store.id, retailerId: store.retailer.id })) {
      refuse("WRONG_STORE", "This entry pass is for another store.", ["input", "pass"]);
    }
    const used = () => refuse("PASS_USED", "This entry pass has already opened a session; show a fresh one.", ["input", "pass"]);
    if (await ctx.prisma.shoppingSession.findUnique({ where: { passNonce: claims.nonce }, select: { id: true } })) used();
    const id = randomUUID();
    try {
      await ctx.prisma.shoppingSession.create({
        data: { id, memberId: claims.memberId.toLowerCase(), storeId: store!.id.toLowerCase(), retailerId: store!.retailer.id.toLowerCase(), passNonce: claims.nonce, status: "OPEN", openedByKeyId: ctx.caller.keyId, openedAt: new Date() },
      });
    } catch (error) {
      // Two gates scanning the same pass at once: the unique nonce lets one win.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") used();
      throw error;
    }
    return { sessionId: id, userErrors: [] };
  }, failed);
}

/** The session a device key may report in; any other (or an unknown one) is SESSION_NOT_FOUND, with no hint. */
async function sessionFor(ctx: PaymentsContext, db: Prisma.TransactionClient | PaymentsContext["prisma"], sessionId: string, lock: boolean): Promise<ShoppingSessionModel> {
  if (lock) await db.$queryRaw`SELECT id FROM payments.shopping_session WHERE id = ${sessionId}::uuid FOR UPDATE`;
  const session = await db.shoppingSession.findUnique({ where: { id: sessionId } });
  if (!session || !serves(ctx, session)) refuse("SESSION_NOT_FOUND", "No such shopping session in this store.", ["input", "sessionId"]);
  return session!;
}

/** Taken minus put back, per product, in the order products were first taken; products with nothing left omitted. */
export function basketOf(events: { productId: string; kind: "TAKEN" | "PUT_BACK"; quantity: number; recordedAt: Date; eventId: string }[]): BasketLineParent[] {
  const held = new Map<string, number>();
  const sorted = [...events].sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || a.eventId.localeCompare(b.eventId));
  for (const e of sorted) held.set(e.productId, (held.get(e.productId) ?? 0) + (e.kind === "TAKEN" ? e.quantity : -e.quantity));
  return [...held].filter(([, quantity]) => quantity > 0).map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * `recordShelfEvent`: idempotent on (session, eventId) — a repeat with the same content answers the same, with other
 * content EVENT_ID_REUSED. Events of one session are serialised by a row lock, so a put-back is checked against
 * exactly what was taken before it.
 */
export function recordShelfEvent(ctx: PaymentsContext, input: RecordShelfEventInput): Promise<SessionResult> {
  requireDeviceKey(ctx);
  const sessionId = parseId(input.sessionId, "sessionId");
  const quantity = input.quantity ?? 1;
  return settle<SessionResult>(async () => {
    if (!EVENT_ID.test(input.eventId)) refuse("INVALID_EVENT_ID", "eventId is 1 to 100 of A–Z a–z 0–9 . _ : -.", ["input", "eventId"]);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) refuse("INVALID_QUANTITY", `quantity must be 1 to ${MAX_QUANTITY}.`, ["input", "quantity"]);
    if (!isId(input.productId)) refuse("UNKNOWN_PRODUCT", "No product has that id.", ["input", "productId"]);
    const productId = input.productId.toLowerCase();
    const event = { productId, kind: input.kind, quantity };
    const replayed = async (db: Prisma.TransactionClient | PaymentsContext["prisma"]) => {
      const seen = await db.shelfEvent.findUnique({ where: { sessionId_eventId: { sessionId, eventId: input.eventId } } });
      if (seen && (seen.productId !== productId || seen.kind !== input.kind || seen.quantity !== quantity)) {
        refuse("EVENT_ID_REUSED", "This eventId was already reported with other content.", ["input", "eventId"]);
      }
      return seen !== null;
    };
    const session = await sessionFor(ctx, ctx.prisma, sessionId, false);
    if (await replayed(ctx.prisma)) return { sessionId, userErrors: [] };
    if (session.status !== "OPEN" || session.exitEventId) refuse("SESSION_CLOSED", "The member has left; this session takes no more events.", ["input", "sessionId"]);
    const [product] = await basketProducts(ctx.peers, [productId]);
    if (!product) refuse("UNKNOWN_PRODUCT", "No product has that id.", ["input", "productId"]);
    await ctx.prisma.$transaction(async (tx) => {
      const locked = await sessionFor(ctx, tx, sessionId, true);
      if (await replayed(tx)) return;
      if (locked.status !== "OPEN" || locked.exitEventId) refuse("SESSION_CLOSED", "The member has left; this session takes no more events.", ["input", "sessionId"]);
      if (input.kind === "PUT_BACK") {
        const held = basketOf(await tx.shelfEvent.findMany({ where: { sessionId, productId } })).find((l) => l.productId === productId)?.quantity ?? 0;
        if (quantity > held) refuse("PUT_BACK_EXCEEDS_TAKEN", `Only ${held} of this product were taken in this session.`, ["input", "quantity"]);
      }
      await tx.shelfEvent.create({ data: { sessionId, eventId: input.eventId, ...event, recordedAt: new Date() } });
    });
    return { sessionId, userErrors: [] };
  }, failed);
}

/**
 * `closeShoppingSession`: once per session (the idempotency claim is the session itself, so the exit event arriving
 * 3 times — also at once, with different exit event ids — charges once and every call gets the first answer).
 * A session already CLOSED answers as it is. Refusals that a retry could fix (stock records short of what the
 * sensors saw: OUT_OF_STOCK) leave the session closing but not closed, and are not stored.
 */
export function closeShoppingSession(ctx: PaymentsContext, input: CloseShoppingSessionInput): Promise<SessionResult> {
  requireDeviceKey(ctx);
  const sessionId = parseId(input.sessionId, "sessionId");
  return settle<SessionResult>(async () => {
    if (!EVENT_ID.test(input.exitEventId)) refuse("INVALID_EVENT_ID", "exitEventId is 1 to 100 of A–Z a–z 0–9 . _ : -.", ["input", "exitEventId"]);
    const session = await sessionFor(ctx, ctx.prisma, sessionId, false);
    if (session.status === "CLOSED") return { sessionId, userErrors: [] };
    const result = await idempotent(ctx.prisma, "payments", "close-shopping-session", sessionId, { sessionId }, () => close(ctx, sessionId, input.exitEventId));
    ctx.kick();
    return result;
  }, failed);
}

async function close(ctx: PaymentsContext, sessionId: string, exitEventId: string): Promise<SessionResult> {
  // From here on the session takes no more shelf events: the basket is final.
  const { session, basket } = await ctx.prisma.$transaction(async (tx) => {
    const s = await sessionFor(ctx, tx, sessionId, true);
    const marked = s.exitEventId ? s : await tx.shoppingSession.update({ where: { id: sessionId }, data: { exitEventId } });
    return { session: marked, basket: basketOf(await tx.shelfEvent.findMany({ where: { sessionId } })) };
  });
  if (session.status === "CLOSED") return { sessionId, userErrors: [] };
  if (!basket.length) {
    await ctx.prisma.shoppingSession.update({ where: { id: sessionId }, data: { status: "CLOSED", outcome: "NOTHING_TAKEN", closedAt: new Date() } });
    return { sessionId, userErrors: [] };
  }
  const products = await basketProducts(ctx.peers, basket.map((l) => l.productId));
  const priced = basket.map((l, i) => ({ ...l, product: products[i] ?? refuse("UNKNOWN_PRODUCT", "A product of the basket is no longer in the catalogue.", null) }));
  if (new Set(priced.map((l) => l.product.price.currency)).size > 1) refuse("MIXED_CURRENCIES", "The basket is priced in more than one currency.", null);
  // The order id follows from the session: a retry after a crash reuses the stock stores already reserved.
  const orderId = seedId("order", `checkout-free:${sessionId}`);
  const reservation = await reserveStock(ctx.peers, orderId, priced.map((l) => ({ productId: l.productId, storeId: session.storeId, quantity: l.quantity })), null);
  if (!reservation.ok) throw new Refusal({ code: reservation.code ?? "OUT_OF_STOCK", message: `The store's stock records are short of what was taken: ${reservation.message ?? ""}`.trim(), field: null });
  try {
    await charge(ctx, session, orderId, priced, reservation.expiresAt);
  } catch (error) {
    await releaseStock(ctx.peers, orderId).catch(() => undefined);
    throw error;
  }
  return { sessionId, userErrors: [] };
}

type Priced = BasketLineParent & { product: BasketProduct };

/**
 * The order, its lines and tender, the charge and `payment.captured` (stores commit the stock, members award points),
 * the e-receipt's email and the CLOSED session: one transaction. A declined charge rolls that back and writes instead
 * the unpaid order (PENDING_PAYMENT, payable with payOrder until its stock hold lapses) and the session
 * CLOSED / PAYMENT_DECLINED.
 */
async function charge(ctx: PaymentsContext, session: ShoppingSessionModel, orderId: string, priced: Priced[], payBy: string | null): Promise<void> {
  const method = await ctx.prisma.defaultPaymentMethod.findUnique({ where: { memberId: session.memberId } });
  const closedAt = new Date();
  try {
    await ctx.prisma.$transaction(async (tx) => {
      const order = await writeOrder(tx, session, orderId, priced, "COMPLETED", closedAt, null);
      if (!method) refuse("NO_PAYMENT_METHOD", "The member has no default payment method.", null);
      const field = ["input", "sessionId"];
      let reference: string | null = null;
      let storedValueAccountId: string | null = null;
      if (method!.method === "CARD") reference = await chargeCard(tx, method!.cardToken!, order.totalAmount, order.currency, field);
      else {
        const wallet = await walletAccount(tx, session.memberId);
        await debit(tx, wallet, session.memberId, order.totalAmount, order.currency, field);
        storedValueAccountId = wallet.id;
        reference = wallet.last4;
      }
      await tx.payment.create({
        data: { id: randomUUID(), orderId, position: 1, method: method!.method, amount: order.totalAmount, currency: order.currency, status: "CAPTURED", reference, storedValueAccountId, authorizedAt: closedAt, capturedAt: closedAt },
      });
      await announceCapture(tx, order, 0);
      const email = receiptEmail(order, priced, session, closedAt, method!.method);
      await tx.emailOutbox.create({ data: { id: randomUUID(), recipientMemberId: session.memberId, orderId, subject: email.subject, body: email.body, createdAt: closedAt } });
      await tx.shoppingSession.update({ where: { id: session.id }, data: { status: "CLOSED", outcome: "PAID", closedAt, orderId } });
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await ctx.prisma.$transaction(async (tx) => {
      await writeOrder(tx, session, orderId, priced, "PENDING_PAYMENT", closedAt, payBy ? new Date(payBy) : null);
      await tx.shoppingSession.update({ where: { id: session.id }, data: { status: "CLOSED", outcome: "PAYMENT_DECLINED", closedAt, orderId } });
    });
  }
}

async function writeOrder(tx: Prisma.TransactionClient, session: ShoppingSessionModel, orderId: string, priced: Priced[], status: "COMPLETED" | "PENDING_PAYMENT", placedAt: Date, payBy: Date | null) {
  const currency = priced[0]!.product.price.currency;
  const rows = orderLineRows(orderId, priced.map((l) => ({ productId: l.productId, storeId: session.storeId, quantity: l.quantity, unitPrice: l.product.price.amount })));
  const total = rows.reduce((sum, r) => sum + r.lineTotalAmount, 0);
  const order = await tx.customerOrder.create({
    data: {
      id: orderId,
      number: await nextOrderNumber(tx, placedAt),
      memberId: session.memberId,
      channel: "CHECKOUT_FREE",
      status,
      currency,
      subtotalAmount: total,
      taxFreeAmount: 0,
      totalAmount: total,
      attributedStoreId: session.storeId,
      sourceRetailerId: session.retailerId,
      hasFulfillment: false,
      payBy,
      placedAt,
      idempotencyKey: `checkout-free:${session.id}`,
      lines: { create: rows },
    },
  });
  await enqueue(tx, "payments", "order.placed", {
    orderId,
    memberId: session.memberId,
    channel: "CHECKOUT_FREE",
    currency,
    total,
    lines: rows.map((r) => ({ productId: r.productId, storeId: r.storeId, quantity: r.quantity })),
  });
  return order;
}
