import { badUserInput, forbidden, keyMayActFor, requireScope } from "@o2o/runtime";
import { sellsOffShelfSql } from "./availability.ts";
import type { StoresContext } from "./context.ts";
import type { StoreModel } from "./generated/prisma/models.ts";
import { boundingBox, distanceSql, withinBoxSql } from "./geo.ts";

/**
 * `Store.assortmentAdvice` (issue 6): what an (independent) shop should stock and reorder, from sales data.
 *
 * Sales are the stock reservations the stores subgraph holds with status COMMITTED (paid orders; HELD and RELEASED
 * ones never count), each line counted for its store on the day the reservation was made, over the 28 days before
 * now. Neighbours: the other stores within `radiusKm` that sell off the shelf today and whose floor area is from half
 * to double this store's (stores without a floor area are never compared). Two lists:
 *  - missingProducts: what the neighbours sold that this store has no stock row for, most units first (ties by
 *    product id), with the units and the number of neighbours that sold it;
 *  - runningLow: products this store holds and sold in the window whose days of cover (quantity ÷ average daily units
 *    over 28 days) are under 7, fewest days first (ties by product id), with a reorder quantity that covers 14 days.
 */
export const WINDOW_DAYS = 28;
export const LOW_COVER_DAYS = 7;
export const TARGET_COVER_DAYS = 14;
export const MAX_ADVICE_RADIUS_KM = 50;
export const MAX_ADVICE_ITEMS = 50;

export interface SuggestionParent {
  productId: string;
  unitsSold: number;
  storeCount: number;
}
export interface RunningLowParent {
  productId: string;
  quantity: number;
  unitsSold: number;
  averageDailyUnits: number;
  daysOfCover: number;
  suggestedReorderQuantity: number;
}
export interface AdviceParent {
  since: Date;
  comparedStoreIds: string[];
  missingProducts: SuggestionParent[];
  runningLow: RunningLowParent[];
}

export async function assortmentAdvice(ctx: StoresContext, store: StoreModel, args: { radiusKm?: number | null; first?: number | null }): Promise<AdviceParent> {
  requireScope(ctx.caller, "analytics:read");
  if (ctx.caller.service === null && !keyMayActFor(ctx.caller, "analytics:read", store.retailerId)) throw forbidden("This key may read only its own retailer's stores' figures.");
  const radiusKm = args.radiusKm ?? 5;
  const first = args.first ?? 10;
  if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_ADVICE_RADIUS_KM)
    throw badUserInput(`radiusKm must be greater than 0 and at most ${MAX_ADVICE_RADIUS_KM}`, { argument: "radiusKm", maximum: MAX_ADVICE_RADIUS_KM });
  if (!Number.isInteger(first) || first < 1 || first > MAX_ADVICE_ITEMS) throw badUserInput(`first must be 1 to ${MAX_ADVICE_ITEMS}`, { argument: "first", maximum: MAX_ADVICE_ITEMS });
  const since = new Date(ctx.now.getTime() - WINDOW_DAYS * 86_400_000);

  const neighbours =
    store.floorAreaM2 === null
      ? []
      : await ctx.prisma.$queryRaw<{ id: string }[]>`
        SELECT c."id" FROM (
          SELECT s."id", ${distanceSql(store)} AS "distanceKm" FROM "stores"."store" s
           WHERE ${withinBoxSql(boundingBox(store, radiusKm))} AND s."id" <> ${store.id}::uuid
             AND s."floor_area_m2" BETWEEN ${store.floorAreaM2 / 2}::float8 AND ${store.floorAreaM2 * 2}::float8
             AND coalesce(${sellsOffShelfSql(ctx.today)}, false)
        ) c WHERE c."distanceKm" <= ${radiusKm}::float8
        ORDER BY c."distanceKm", c."id"`;
  const neighbourIds = neighbours.map((n) => n.id);

  const missing = neighbourIds.length
    ? await ctx.prisma.$queryRaw<{ productId: string; unitsSold: number; storeCount: number }[]>`
        SELECT l."product_id"::text AS "productId", sum(l."quantity")::int AS "unitsSold", count(DISTINCT l."store_id")::int AS "storeCount"
          FROM "stores"."stock_reservation_line" l
          JOIN "stores"."stock_reservation" r ON r."order_id" = l."order_id"
         WHERE l."store_id" = ANY(${neighbourIds}::uuid[]) AND r."status" = 'COMMITTED' AND r."created_at" > ${since}
           AND NOT EXISTS (SELECT 1 FROM "stores"."stock" st WHERE st."store_id" = ${store.id}::uuid AND st."product_id" = l."product_id")
         GROUP BY l."product_id"
         ORDER BY "unitsSold" DESC, l."product_id"
         LIMIT ${first}`
    : [];

  const own = await ctx.prisma.$queryRaw<{ productId: string; quantity: number; unitsSold: number }[]>`
    SELECT st."product_id"::text AS "productId", st."quantity", sold."units"::int AS "unitsSold"
      FROM "stores"."stock" st
      JOIN (
        SELECT l."product_id", sum(l."quantity") AS "units"
          FROM "stores"."stock_reservation_line" l
          JOIN "stores"."stock_reservation" r ON r."order_id" = l."order_id"
         WHERE l."store_id" = ${store.id}::uuid AND r."status" = 'COMMITTED' AND r."created_at" > ${since}
         GROUP BY l."product_id"
      ) sold ON sold."product_id" = st."product_id"
     WHERE st."store_id" = ${store.id}::uuid`;
  const runningLow = own
    .map((row) => {
      const averageDailyUnits = row.unitsSold / WINDOW_DAYS;
      const daysOfCover = row.quantity / averageDailyUnits;
      const suggestedReorderQuantity = Math.max(1, Math.ceil(averageDailyUnits * TARGET_COVER_DAYS - 1e-9) - row.quantity);
      return { ...row, averageDailyUnits, daysOfCover, suggestedReorderQuantity };
    })
    .filter((r) => r.daysOfCover < LOW_COVER_DAYS)
    .sort((a, b) => a.daysOfCover - b.daysOfCover || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .slice(0, first);
  return { since, comparedStoreIds: neighbourIds, missingProducts: missing, runningLow };
}
