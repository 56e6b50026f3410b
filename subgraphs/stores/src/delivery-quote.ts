import { badUserInput, deliveryWindow, isId } from "@o2o/runtime";
import { sellsOffShelfSql } from "./availability.ts";
import type { StoresContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import { boundingBox, distanceSql, parseGeoPoint, withinBoxSql, type LatLng } from "./geo.ts";

/**
 * "Deliver from the nearest store within N km that has everything in stock": the one query both the public
 * quote (`Query.deliveryQuote`) and checkout's stock routing (reservations.ts) use, so what a storefront is
 * quoted is where the order is sent from.
 */
type Db = Pick<Prisma.TransactionClient, "$queryRaw">;

/** How far a delivery may ever come from (and the default when checkout names no limit). */
export const DELIVERY_RADIUS_KM = 50;
export const DEFAULT_QUOTE_RADIUS_KM = 10;
const MAX_QUOTE_LINES = 50;
const MAX_QUOTE_QUANTITY = 999;

/** The nearest HOME_DELIVERY store within `withinKm` of `to` that sells today and holds every `needs` quantity. */
export async function nearestDeliveringStore(db: Db, today: string, needs: Map<string, number>, to: LatLng, withinKm: number): Promise<{ id: string; distanceKm: number } | null> {
  const recordset = JSON.stringify([...needs].map(([product_id, quantity]) => ({ product_id, quantity })));
  const [nearest] = await db.$queryRaw<{ id: string; distanceKm: number }[]>`
    SELECT s."id"::text, ${distanceSql(to)} AS "distanceKm" FROM "stores"."store" s
     WHERE ${withinBoxSql(boundingBox(to, withinKm))}
       AND ${sellsOffShelfSql(today)}
       AND 'HOME_DELIVERY' = ANY(s."capabilities")
       AND ${distanceSql(to)} <= ${withinKm}::float8
       AND NOT EXISTS (
         SELECT 1 FROM jsonb_to_recordset(${recordset}::jsonb) AS n("product_id" uuid, "quantity" int)
         LEFT JOIN "stores"."stock" st ON st."store_id" = s."id" AND st."product_id" = n."product_id"
         WHERE coalesce(st."quantity", 0) < n."quantity")
     ORDER BY ${distanceSql(to)}, s."id"
     LIMIT 1`;
  return nearest ?? null;
}

/** Quantities per product (lines of one product add up). */
export function needsOf(lines: { productId: string; quantity: number }[]): Map<string, number> {
  const needs = new Map<string, number>();
  for (const l of lines) needs.set(l.productId.toLowerCase(), (needs.get(l.productId.toLowerCase()) ?? 0) + l.quantity);
  return needs;
}

/** A delivery radius: BAD_USER_INPUT unless 0 < km ≤ 50. */
export function parseDeliveryRadius(km: number, argument: string): number {
  if (!Number.isFinite(km) || km <= 0 || km > DELIVERY_RADIUS_KM) throw badUserInput(`${argument} must be greater than 0 and at most ${DELIVERY_RADIUS_KM}`, { argument, maximum: DELIVERY_RADIUS_KM });
  return km;
}

export interface QuoteArgs {
  lines: { productId: string; quantity: number }[];
  to: LatLng;
  withinKm?: number | null;
}

/** `Query.deliveryQuote`: the store that would send these lines and the window promised if ordered now; null when none can. */
export async function deliveryQuote(ctx: StoresContext, args: QuoteArgs) {
  if (args.lines.length < 1 || args.lines.length > MAX_QUOTE_LINES) throw badUserInput(`lines must hold 1 to ${MAX_QUOTE_LINES} lines`, { argument: "lines" });
  args.lines.forEach((l, i) => {
    if (!isId(l.productId)) throw badUserInput(`lines[${i}].productId is not a valid id`, { argument: `lines.${i}.productId` });
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUOTE_QUANTITY) throw badUserInput(`lines[${i}].quantity must be 1 to ${MAX_QUOTE_QUANTITY}`, { argument: `lines.${i}.quantity` });
  });
  const to = parseGeoPoint(args.to, "to");
  const withinKm = parseDeliveryRadius(args.withinKm ?? DEFAULT_QUOTE_RADIUS_KM, "withinKm");
  const nearest = await nearestDeliveringStore(ctx.prisma, ctx.today, needsOf(args.lines), to, withinKm);
  if (!nearest) return null;
  const store = (await ctx.loaders.storeById.load(nearest.id))!;
  const window = deliveryWindow(nearest.distanceKm, ctx.now);
  return { store, distanceKm: Math.round(nearest.distanceKm * 1000) / 1000, earliest: window.earliest, latest: window.latest };
}
