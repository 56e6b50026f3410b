import { badUserInput, isId, parseId } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";
import type { StockModel } from "./generated/prisma/models.ts";
import { boundingBox, distanceSql, parseGeoPoint, parseRadius, withinBoxSql, type LatLng } from "./geo.ts";

/** Where a product can be bought nearby, and a product's stock in one store. Resolvers stay thin. */

/** The stores subgraph's view of a Product: only its id (the products subgraph owns the rest). */
export interface ProductRef {
  id: string;
}

/** One row of `Product.availability`. */
export interface AvailabilityRow {
  productId: string;
  storeId: string;
  quantity: number;
  distanceKm: number;
}

export const DEFAULT_RADIUS_KM = 25;
export const DEFAULT_AVAILABILITY_FIRST = 5;
export const MAX_AVAILABILITY_FIRST = 50;

/** A federation reference to a Product: malformed ids are null (stores cannot know more). */
export function productReference(ref: { id?: string | null }): ProductRef | null {
  return ref.id && isId(ref.id) ? { id: ref.id.toLowerCase() } : null;
}

/** The arguments of one availability question, validated; products asking the same one share a statement. */
export interface AvailabilityArgs {
  near: LatLng;
  radiusKm: number;
  first: number;
}
export interface AvailabilityKey extends AvailabilityArgs {
  productId: string;
}

export function parseAvailabilityArgs(args: { near: LatLng; radiusKm?: number | null; first?: number | null }): AvailabilityArgs {
  const near = parseGeoPoint(args.near, "near");
  const radiusKm = parseRadius(args.radiusKm ?? DEFAULT_RADIUS_KM);
  const first = args.first ?? DEFAULT_AVAILABILITY_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_AVAILABILITY_FIRST) {
    throw badUserInput(`first must be between 1 and ${MAX_AVAILABILITY_FIRST}`, { argument: "first", maximum: MAX_AVAILABILITY_FIRST });
  }
  return { near, radiusKm, first };
}

/** `Product.availability`: bad arguments fail before any SQL; the rest batches through the availability loader. */
export function availability(ctx: StoresContext, product: ProductRef, args: Parameters<typeof parseAvailabilityArgs>[0]): Promise<AvailabilityRow[]> {
  return ctx.loaders.availability.load({ productId: product.id, ...parseAvailabilityArgs(args) });
}

export const availabilityGroupOf = (k: AvailabilityArgs) => JSON.stringify([k.near.lat, k.near.lng, k.radiusKm, k.first]);

/**
 * The availability of many products: ONE statement per distinct (near, radiusKm, first), whatever the number
 * of products. Candidate stores come through the bounding box (index on (lat, lng)), the haversine distance
 * filters them by radius, then `row_number()` ranks each product's stores by (distance, store id) and the
 * first `first` of each are kept. Stores that may not sell are left out: showrooms, display-only stores and
 * pop-ups outside their dates on `today` (a local date in Asia/Tokyo).
 */
export async function availabilityBatch(prisma: PrismaClient, today: string, keys: readonly AvailabilityKey[]): Promise<AvailabilityRow[][]> {
  const groups = new Map<string, { args: AvailabilityArgs; productIds: Set<string> }>();
  for (const key of keys) {
    const group = availabilityGroupOf(key);
    const entry = groups.get(group) ?? { args: key, productIds: new Set<string>() };
    entry.productIds.add(key.productId);
    groups.set(group, entry);
  }
  const results = new Map<string, Map<string, AvailabilityRow[]>>();
  await Promise.all(
    [...groups].map(async ([group, { args, productIds }]) => {
      const rows = await availabilityQuery(prisma, today, args, [...productIds]);
      const byProduct = new Map<string, AvailabilityRow[]>();
      for (const row of rows) {
        const list = byProduct.get(row.productId) ?? [];
        list.push(row);
        byProduct.set(row.productId, list);
      }
      results.set(group, byProduct);
    }),
  );
  return keys.map((key) => results.get(availabilityGroupOf(key))?.get(key.productId) ?? []);
}

function availabilityQuery(prisma: PrismaClient, today: string, args: AvailabilityArgs, productIds: string[]): Promise<AvailabilityRow[]> {
  return prisma.$queryRaw<AvailabilityRow[]>`
    SELECT r."productId", r."storeId", r."quantity", r."distanceKm"
    FROM (
      SELECT st."product_id" AS "productId", st."store_id" AS "storeId", st."quantity", c."distance_km" AS "distanceKm",
             row_number() OVER (PARTITION BY st."product_id" ORDER BY c."distance_km", st."store_id") AS "rank"
      FROM (
        SELECT s."id", ${distanceSql(args.near)} AS "distance_km"
        FROM "stores"."store" s
        WHERE ${withinBoxSql(boundingBox(args.near, args.radiusKm))}
          AND ${sellableOnSql(today)}
      ) c
      JOIN "stores"."stock" st ON st."store_id" = c."id"
      WHERE st."product_id" = ANY(${productIds}::uuid[])
        AND st."quantity" > 0
        AND c."distance_km" <= ${args.radiusKm}::float8
    ) r
    WHERE r."rank" <= ${args.first}
    ORDER BY r."productId", r."rank"`;
}

/** SQL: the store row `s` may sell off the shelf on `today` (not a showroom / display-only; a pop-up within its dates). */
export function sellableOnSql(today: string): Prisma.Sql {
  return Prisma.sql`s."format" <> 'SHOWROOM'
    AND NOT coalesce('DISPLAY_ONLY' = ANY(s."capabilities"), false)
    AND (s."format" <> 'POP_UP' OR ${today}::date BETWEEN s."pop_up_opens_on" AND s."pop_up_closes_on")`;
}

/**
 * SQL: the store row `s` may hand over its own stock today — what taking stock for an order needs. Stricter
 * than `sellableOnSql`: service centres and pickup points hold no shelf stock of their own either.
 */
export function sellsOffShelfSql(today: string): Prisma.Sql {
  return Prisma.sql`(${sellableOnSql(today)} AND s."format" NOT IN ('SERVICE_CENTRE', 'PICKUP_POINT'))`;
}

/** `Product.inventory(storeId)`: the raw stock row, whatever the store's format; null when there is none. */
export function inventory(ctx: StoresContext, product: ProductRef, storeId: string): Promise<StockModel | null> {
  return ctx.loaders.stockLevel.load({ storeId: parseId(storeId, "storeId"), productId: product.id });
}
