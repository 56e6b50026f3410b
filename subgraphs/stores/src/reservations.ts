import { enqueue, isId, logger } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";
import type { ReservationStatus } from "./generated/prisma/enums.ts";
import type { StoreModel } from "./generated/prisma/models.ts";
import { boundingBox, distanceSql, withinBoxSql, type LatLng } from "./geo.ts";
import { sellableOnSql } from "./availability.ts";

/**
 * Stock reservations: checkout takes stock for an order, all lines or none, with conditional decrements
 * (`quantity >= n`) that make overselling impossible however many orders race for the last units. An unpaid
 * reservation expires and its stock returns; payment commits it; cancel and refund return it.
 */
type Tx = Prisma.TransactionClient;

export const MAX_QUANTITY = 999;
/** How far a delivery may come from. */
export const DELIVERY_RADIUS_KM = 50;
/** An expired hold is released this long after `expiresAt`, so a payment made at the last second still finds it. */
export const EXPIRY_GRACE_MS = 60_000;
/** Formats that hold no shelf stock: they never sell off the shelf. */
const NO_SHELF = new Set(["SHOWROOM", "SERVICE_CENTRE", "PICKUP_POINT"]);

export interface LineRequest {
  productId: string;
  storeId?: string | null;
  quantity: number;
}

export interface ReservedLine {
  productId: string;
  storeId: string;
  quantity: number;
}

/** The answer of `reserveStock` (schema type StockReservation). */
export interface ReservationAnswer {
  ok: boolean;
  code: string | null;
  message: string | null;
  productId: string | null;
  storeId: string | null;
  expiresAt: Date | null;
  lines: ReservedLine[];
}

const refusal = (code: string, message: string, at: { productId?: string; storeId?: string } = {}): ReservationAnswer => ({
  ok: false,
  code,
  message,
  productId: at.productId ?? null,
  storeId: at.storeId ?? null,
  expiresAt: null,
  lines: [],
});

class OutOfStock extends Error {
  constructor(readonly line: ReservedLine) {
    super("out of stock");
  }
}

/** `reserveStock`: checks, then one transaction that takes every line's stock or none. */
export async function reserveStock(ctx: StoresContext, orderId: string, lines: LineRequest[], deliverTo: LatLng | null, ttlSeconds: number): Promise<ReservationAnswer> {
  if (!isId(orderId)) return refusal("INVALID_ORDER", "orderId must be a UUID.");
  const existing = await answerFor(ctx.prisma, orderId.toLowerCase());
  if (existing) return existing;
  const bad = lines.find((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY);
  if (bad || !lines.length) return refusal("INVALID_QUANTITY", `Each quantity must be 1 to ${MAX_QUANTITY}.`, { productId: bad?.productId });
  const unknownProduct = lines.find((l) => !isId(l.productId));
  if (unknownProduct) return refusal("OUT_OF_STOCK", "No store holds an unknown product.", { productId: unknownProduct.productId });

  const named = await sellingStores(ctx, lines);
  if ("code" in named) return named;
  const routed = await routeDeliveries(ctx, lines, deliverTo);
  if ("code" in routed) return routed;
  const placed: ReservedLine[] = lines.map((l, i) => ({ productId: l.productId.toLowerCase(), storeId: (l.storeId ?? routed.storeId!).toLowerCase(), quantity: lines[i]!.quantity }));
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  try {
    await ctx.prisma.$transaction((tx) => take(tx, orderId.toLowerCase(), placed, expiresAt));
  } catch (error) {
    if (error instanceof OutOfStock) return refusal("OUT_OF_STOCK", "Not enough stock in that store.", error.line);
    // Two calls for one order raced: the loser answers what the winner stored.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return (await answerFor(ctx.prisma, orderId.toLowerCase()))!;
    throw error;
  }
  ctx.kick();
  return { ok: true, code: null, message: null, productId: null, storeId: null, expiresAt, lines: placed };
}

async function take(tx: Tx, orderId: string, lines: ReservedLine[], expiresAt: Date): Promise<void> {
  // The rows nobody else contends for go first; the stock rows (hot: everyone buying the last units wants them)
  // are locked last, so each is held only from its UPDATE to the COMMIT.
  await tx.stockReservation.create({
    data: { orderId, status: "HELD", expiresAt, lines: { create: lines.map((l, i) => ({ position: i + 1, ...l })) } },
  });
  await enqueue(tx, "stores", "stock.reserved", { orderId, expiresAt: expiresAt.toISOString(), lines });
  // Same (store, product) summed, then in a fixed order, so concurrent reservations lock rows alike (no deadlocks).
  const totals = new Map<string, ReservedLine>();
  for (const l of lines) {
    const key = `${l.storeId}:${l.productId}`;
    totals.set(key, { ...l, quantity: (totals.get(key)?.quantity ?? 0) + l.quantity });
  }
  for (const line of [...totals.values()].sort((a, b) => `${a.storeId}:${a.productId}`.localeCompare(`${b.storeId}:${b.productId}`))) {
    const taken = await tx.$executeRaw`
      UPDATE "stores"."stock" SET "quantity" = "quantity" - ${line.quantity}, "updated_at" = now()
       WHERE "store_id" = ${line.storeId}::uuid AND "product_id" = ${line.productId}::uuid AND "quantity" >= ${line.quantity}`;
    if (taken !== 1) throw new OutOfStock(line);
  }
}

/** What an earlier call for this order stored, as the same answer. */
async function answerFor(prisma: PrismaClient, orderId: string): Promise<ReservationAnswer | null> {
  const found = await prisma.stockReservation.findUnique({ where: { orderId }, include: { lines: { orderBy: { position: "asc" } } } });
  if (!found) return null;
  const lines = found.lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity }));
  return { ok: true, code: null, message: null, productId: null, storeId: null, expiresAt: found.expiresAt, lines };
}

export const canSellFromShelf = (store: StoreModel, today: string): boolean =>
  !NO_SHELF.has(store.format) &&
  !store.capabilities.includes("DISPLAY_ONLY") &&
  (store.format !== "POP_UP" || (!!store.popUpOpensOn && !!store.popUpClosesOn && today >= iso(store.popUpOpensOn) && today <= iso(store.popUpClosesOn)));

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Every named store exists and sells off the shelf today. */
async function sellingStores(ctx: StoresContext, lines: LineRequest[]): Promise<{ ok: true } | ReservationAnswer> {
  const ids = [...new Set(lines.flatMap((l) => (l.storeId ? [l.storeId] : [])))];
  const bad = ids.find((id) => !isId(id));
  if (bad) return refusal("UNKNOWN_STORE", `No store has the id ${bad}.`, { storeId: bad });
  const stores = await ctx.prisma.store.findMany({ where: { id: { in: ids.map((id) => id.toLowerCase()) } } });
  for (const id of ids) {
    const store = stores.find((s) => s.id === id.toLowerCase());
    if (!store) return refusal("UNKNOWN_STORE", `No store has the id ${id}.`, { storeId: id });
    if (!canSellFromShelf(store, ctx.today)) return refusal("STORE_CANNOT_SELL", `${store.name} does not sell off the shelf (${store.format}${store.format === "POP_UP" ? " outside its dates" : ""}).`, { storeId: id });
  }
  return { ok: true };
}

/** Lines without a store go to the nearest delivering store that holds all of them. */
async function routeDeliveries(ctx: StoresContext, lines: LineRequest[], deliverTo: LatLng | null): Promise<{ storeId: string | null } | ReservationAnswer> {
  const unrouted = lines.filter((l) => !l.storeId);
  if (!unrouted.length) return { storeId: null };
  if (!deliverTo) return refusal("UNKNOWN_STORE", "A line without a store needs deliverTo to pick the store that sends it.");
  const needs = new Map<string, number>();
  for (const l of unrouted) needs.set(l.productId.toLowerCase(), (needs.get(l.productId.toLowerCase()) ?? 0) + l.quantity);
  const recordset = JSON.stringify([...needs].map(([product_id, quantity]) => ({ product_id, quantity })));
  const [nearest] = await ctx.prisma.$queryRaw<{ id: string }[]>`
    SELECT s."id" FROM "stores"."store" s
     WHERE ${withinBoxSql(boundingBox(deliverTo, DELIVERY_RADIUS_KM))}
       AND ${sellableOnSql(ctx.today)}
       AND s."format" NOT IN ('SERVICE_CENTRE', 'PICKUP_POINT')
       AND 'HOME_DELIVERY' = ANY(s."capabilities")
       AND ${distanceSql(deliverTo)} <= ${DELIVERY_RADIUS_KM}::float8
       AND NOT EXISTS (
         SELECT 1 FROM jsonb_to_recordset(${recordset}::jsonb) AS n("product_id" uuid, "quantity" int)
         LEFT JOIN "stores"."stock" st ON st."store_id" = s."id" AND st."product_id" = n."product_id"
         WHERE coalesce(st."quantity", 0) < n."quantity")
     ORDER BY ${distanceSql(deliverTo)}, s."id"
     LIMIT 1`;
  if (!nearest) return refusal("OUT_OF_STOCK", `No delivering store within ${DELIVERY_RADIUS_KM} km holds every item.`, { productId: unrouted[0]!.productId });
  return { storeId: nearest.id };
}

/**
 * Returns a reservation's stock if it is in one of `from`, records why, and announces `stock.released`.
 * Returns whether anything was released (false: already released, or never reserved).
 */
export async function release(tx: Tx, orderId: string, reason: string, from: ReservationStatus[]): Promise<boolean> {
  const done = await tx.stockReservation.updateMany({ where: { orderId, status: { in: from } }, data: { status: "RELEASED", releaseReason: reason, releasedAt: new Date() } });
  if (done.count !== 1) return false;
  const lines = await tx.stockReservationLine.findMany({ where: { orderId } });
  for (const l of lines) {
    await tx.stock.update({ where: { storeId_productId: { storeId: l.storeId, productId: l.productId } }, data: { quantity: { increment: l.quantity } } });
  }
  await enqueue(tx, "stores", "stock.released", { orderId, reason, lines: lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity })) });
  return true;
}

/** Paid: the hold no longer expires. A hold released meanwhile (paid after expiry) is taken again if the stock is there. */
export async function commit(tx: Tx, orderId: string): Promise<void> {
  const done = await tx.stockReservation.updateMany({ where: { orderId, status: "HELD" }, data: { status: "COMMITTED" } });
  if (done.count === 1) return;
  const found = await tx.stockReservation.findUnique({ where: { orderId }, include: { lines: true } });
  if (found?.status !== "RELEASED" || found.releaseReason !== "EXPIRED") return;
  for (const l of found.lines) {
    const taken = await tx.$executeRaw`UPDATE "stores"."stock" SET "quantity" = "quantity" - ${l.quantity}, "updated_at" = now()
       WHERE "store_id" = ${l.storeId}::uuid AND "product_id" = ${l.productId}::uuid AND "quantity" >= ${l.quantity}`;
    if (taken !== 1) {
      logger.warn({ orderId, productId: l.productId, storeId: l.storeId }, "paid after its stock hold expired and the stock is gone: needs a manual refund");
      return;
    }
  }
  await tx.stockReservation.update({ where: { orderId }, data: { status: "COMMITTED", releaseReason: null, releasedAt: null } });
}

/** Releases holds that expired (plus the grace period) before `now`; returns how many. */
export async function releaseExpiredReservations(prisma: PrismaClient, now: Date = new Date(), kick: () => void = () => undefined): Promise<number> {
  const expired = await prisma.stockReservation.findMany({
    where: { status: "HELD", expiresAt: { lt: new Date(now.getTime() - EXPIRY_GRACE_MS) } },
    select: { orderId: true },
    take: 500,
  });
  let released = 0;
  for (const { orderId } of expired) {
    if (await prisma.$transaction((tx) => release(tx, orderId, "EXPIRED", ["HELD"]))) released++;
  }
  if (released) kick();
  return released;
}
