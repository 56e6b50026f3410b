import { badUserInput, enqueue, isId, parseId } from "@o2o/runtime";
import { sellsOffShelfSql } from "./availability.ts";
import type { StoresContext } from "./context.ts";
import { Prisma } from "./generated/prisma/client.ts";
import { DELIVERY_RADIUS_KM, nearestDeliveringStore, needsOf } from "./delivery-quote.ts";
import type { LatLng } from "./geo.ts";
import { inLockOrder, takeRow, type StockLine } from "./stock-rows.ts";

/**
 * `reserveStock`: checkout takes stock for an order, all lines or none, with conditional decrements
 * (`quantity >= n`) that make overselling impossible however many orders race for the last units.
 * What happens to a hold afterwards (paid, released, expired) is in settlement.ts.
 */
type Tx = Prisma.TransactionClient;

export const MAX_QUANTITY = 999;
/** A hold lasts at least a minute (a checkout needs that long) and at most a day. */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 86_400;
/** Formats that hold no shelf stock of their own (for the message; the rule itself is `sellsOffShelfSql`). */
const NO_SHELF = ["SHOWROOM", "SERVICE_CENTRE", "PICKUP_POINT"];

export interface LineRequest {
  productId: string;
  storeId?: string | null;
  quantity: number;
}

export type ReservedLine = StockLine;

/** Where lines without a store are delivered to, and how far their store may be (checkout's `maxDistanceKm`). */
export type DeliverTo = LatLng & { withinKm?: number | null };

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

/** Thrown inside the transaction so that the lines already taken are rolled back with it. */
class OutOfStock extends Error {
  constructor(readonly line: ReservedLine) {
    super("out of stock");
  }
}

/** `reserveStock`: one transaction that answers a replay as stored, or checks the lines and takes all of them or none. */
export async function reserveStock(ctx: StoresContext, orderId: string, lines: LineRequest[], deliverTo: DeliverTo | null, ttlSeconds: number): Promise<ReservationAnswer> {
  const order = parseId(orderId, "orderId");
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
    throw badUserInput(`ttlSeconds must be between ${MIN_TTL_SECONDS} and ${MAX_TTL_SECONDS}`, { argument: "ttlSeconds" });
  }
  try {
    // A stock transaction: once it commits, the products it took are invalidated in the read cache.
    const { answer, taken } = await ctx.stockTx((tx) => reserveIn(tx, ctx, order, lines, deliverTo, ttlSeconds));
    if (taken) ctx.kick();
    return answer;
  } catch (error) {
    if (error instanceof OutOfStock) return refusal("OUT_OF_STOCK", "Not enough stock in that store.", error.line);
    // Two calls for one order raced: the loser answers what the winner stored.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const stored = await storedAnswer(ctx.prisma, order);
      if (stored) return stored;
    }
    throw error;
  }
}

async function reserveIn(tx: Tx, ctx: StoresContext, orderId: string, lines: LineRequest[], deliverTo: DeliverTo | null, ttlSeconds: number): Promise<{ answer: ReservationAnswer; taken: boolean }> {
  const stored = await storedAnswer(tx, orderId);
  if (stored) return { answer: stored, taken: false };
  const refused = checkQuantities(lines) ?? (await checkStores(tx, ctx.today, lines));
  if (refused) return { answer: refused, taken: false };
  const routed = await routeDeliveries(tx, ctx.today, lines, deliverTo);
  if ("ok" in routed) return { answer: routed, taken: false };
  const placed = lines.map((l) => ({ productId: l.productId.toLowerCase(), storeId: (l.storeId ?? routed.deliveredFrom!).toLowerCase(), quantity: l.quantity }));
  const expiresAt = new Date(ctx.now.getTime() + ttlSeconds * 1000);
  await take(tx, orderId, placed, expiresAt);
  return { answer: { ok: true, code: null, message: null, productId: null, storeId: null, expiresAt, lines: placed }, taken: true };
}

async function take(tx: Tx, orderId: string, lines: ReservedLine[], expiresAt: Date): Promise<void> {
  // The rows nobody else contends for go first; the stock rows (hot: everyone buying the last units wants them)
  // are locked last, so each is held only from its UPDATE to the COMMIT.
  await tx.stockReservation.create({
    data: { orderId, status: "HELD", expiresAt, lines: { create: lines.map((l, i) => ({ position: i + 1, ...l })) } },
  });
  await enqueue(tx, "stores", "stock.reserved", { orderId, expiresAt: expiresAt.toISOString(), lines });
  for (const line of inLockOrder(lines)) {
    if (!(await takeRow(tx, line))) throw new OutOfStock(line);
  }
}

/** What an earlier call for this order stored, as the same answer (whatever became of the hold since). */
async function storedAnswer(db: Tx, orderId: string): Promise<ReservationAnswer | null> {
  const found = await db.stockReservation.findUnique({ where: { orderId }, include: { lines: { orderBy: { position: "asc" } } } });
  if (!found) return null;
  const lines = found.lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity }));
  return { ok: true, code: null, message: null, productId: null, storeId: null, expiresAt: found.expiresAt, lines };
}

function checkQuantities(lines: LineRequest[]): ReservationAnswer | null {
  if (!lines.length) return refusal("INVALID_QUANTITY", "An order needs at least one line.");
  const bad = lines.find((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY);
  if (bad) return refusal("INVALID_QUANTITY", `Each quantity must be 1 to ${MAX_QUANTITY}.`, { productId: bad.productId });
  const unknownProduct = lines.find((l) => !isId(l.productId));
  if (unknownProduct) return refusal("OUT_OF_STOCK", "No store holds an unknown product.", { productId: unknownProduct.productId });
  return null;
}

/** Every named store exists and sells off the shelf today (the rule `sellsOffShelfSql` shares with delivery routing). */
async function checkStores(tx: Tx, today: string, lines: LineRequest[]): Promise<ReservationAnswer | null> {
  const ids = [...new Set(lines.flatMap((l) => (l.storeId ? [l.storeId] : [])))];
  const malformed = ids.find((id) => !isId(id));
  if (malformed) return refusal("UNKNOWN_STORE", `No store has the id ${malformed}.`, { storeId: malformed });
  if (!ids.length) return null;
  const stores = await tx.$queryRaw<{ id: string; name: string; format: string; sells: boolean }[]>`
    SELECT s."id"::text, s."name", s."format"::text, coalesce(${sellsOffShelfSql(today)}, false) AS "sells"
      FROM "stores"."store" s WHERE s."id" = ANY(${ids.map((id) => id.toLowerCase())}::uuid[])`;
  for (const id of ids) {
    const store = stores.find((s) => s.id === id.toLowerCase());
    if (!store) return refusal("UNKNOWN_STORE", `No store has the id ${id}.`, { storeId: id });
    if (!store.sells) {
      const why = store.format === "POP_UP" ? "a pop-up outside its dates" : NO_SHELF.includes(store.format) ? store.format.toLowerCase().replace("_", " ") : "display only";
      return refusal("STORE_CANNOT_SELL", `${store.name} does not sell off the shelf (${why}).`, { storeId: id });
    }
  }
  return null;
}

/**
 * Lines without a store are delivered: from the nearest HOME_DELIVERY store within `deliverTo.withinKm` (default and
 * at most 50 km) that sells today and holds every such line (`deliveredFrom` is null when every line names its store).
 */
async function routeDeliveries(tx: Tx, today: string, lines: LineRequest[], deliverTo: DeliverTo | null): Promise<{ deliveredFrom: string | null } | ReservationAnswer> {
  const unrouted = lines.filter((l) => !l.storeId);
  if (!unrouted.length) return { deliveredFrom: null };
  if (!deliverTo) return refusal("UNKNOWN_STORE", "A line without a store needs deliverTo to pick the store that sends it.", { productId: unrouted[0]!.productId });
  const withinKm = Math.min(deliverTo.withinKm ?? DELIVERY_RADIUS_KM, DELIVERY_RADIUS_KM);
  const nearest = await nearestDeliveringStore(tx, today, needsOf(unrouted), deliverTo, withinKm);
  if (!nearest) return refusal("OUT_OF_STOCK", `No delivering store within ${withinKm} km holds every item.`, { productId: unrouted[0]!.productId });
  return { deliveredFrom: nearest.id };
}
