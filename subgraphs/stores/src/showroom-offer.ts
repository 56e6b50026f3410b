import { badUserInput, parseId, isDisplayOnlyStore } from "@o2o/runtime";
import { sellsOffShelfSql, type AvailabilityRow, type ProductRef } from "./availability.ts";
import type { StoresContext } from "./context.ts";
import { DELIVERY_RADIUS_KM } from "./delivery-quote.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { StoreModel } from "./generated/prisma/models.ts";
import { boundingBox, distanceSql, parseRadius, withinBoxSql } from "./geo.ts";

/**
 * Display-only showrooms: their stock rows are display units (never reserved or sold), and a product seen there is
 * bought online — `Product.showroomOffer` says where it can be picked up nearby, or whether it can be delivered.
 */

/** A SHOWROOM, or any store with the DISPLAY_ONLY capability (the runtime's one rule). */
export const isDisplayOnly = isDisplayOnlyStore;

/** `StockItem.displayOnly`: the row's store is display-only (stores load once per request, batched). */
export async function stockRowIsDisplay(ctx: StoresContext, row: { storeId: string }): Promise<boolean> {
  const store = await ctx.loaders.storeById.load(row.storeId);
  return store ? isDisplayOnly(store) : false;
}

export const DEFAULT_OFFER_RADIUS_KM = 25;
export const DEFAULT_OFFER_FIRST = 5;
export const MAX_OFFER_FIRST = 50;

export interface ShowroomOfferArgs {
  showroomId: string;
  radiusKm: number;
  first: number;
}
export interface ShowroomOfferKey extends ShowroomOfferArgs {
  productId: string;
}

/** What `ShowroomOffer`'s resolvers receive. */
export interface ShowroomOfferParent {
  showroom: StoreModel;
  displayed: boolean;
  pickupStores: AvailabilityRow[];
  homeDelivery: boolean;
}

export function parseShowroomOfferArgs(args: { showroomId: string; radiusKm?: number | null; first?: number | null }): ShowroomOfferArgs {
  const showroomId = parseId(args.showroomId, "showroomId");
  const radiusKm = parseRadius(args.radiusKm ?? DEFAULT_OFFER_RADIUS_KM);
  const first = args.first ?? DEFAULT_OFFER_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_OFFER_FIRST) {
    throw badUserInput(`first must be between 1 and ${MAX_OFFER_FIRST}`, { argument: "first", maximum: MAX_OFFER_FIRST });
  }
  return { showroomId, radiusKm, first };
}

/** `Product.showroomOffer`: bad arguments fail before any SQL; products of one list share the loader's statements. */
export function showroomOffer(ctx: StoresContext, product: ProductRef, args: Parameters<typeof parseShowroomOfferArgs>[0]): Promise<ShowroomOfferParent | null> {
  return ctx.loaders.showroomOffer.load({ productId: product.id, ...parseShowroomOfferArgs(args) });
}

export const showroomOfferCacheKey = (k: ShowroomOfferKey) => JSON.stringify([k.productId, k.showroomId, k.radiusKm, k.first]);
const groupOf = (k: ShowroomOfferArgs) => JSON.stringify([k.showroomId, k.radiusKm, k.first]);

/**
 * The offers of many products: per distinct (showroom, radiusKm, first) three statements — the showroom, its
 * display rows plus the delivering stores' stock, and the ranked pickup stores — whatever the number of products.
 */
export async function showroomOfferBatch(prisma: PrismaClient, today: string, keys: readonly ShowroomOfferKey[]): Promise<(ShowroomOfferParent | null)[]> {
  const groups = new Map<string, { args: ShowroomOfferArgs; productIds: Set<string> }>();
  for (const key of keys) {
    const entry = groups.get(groupOf(key)) ?? { args: key, productIds: new Set<string>() };
    entry.productIds.add(key.productId);
    groups.set(groupOf(key), entry);
  }
  const answers = new Map<string, Map<string, ShowroomOfferParent> | null>();
  await Promise.all(
    [...groups].map(async ([group, { args, productIds }]) => {
      const showroom = await prisma.store.findUnique({ where: { id: args.showroomId } });
      if (!showroom || !isDisplayOnly(showroom)) return void answers.set(group, null);
      const ids = [...productIds];
      const [facts, pickups] = await Promise.all([offerFacts(prisma, today, showroom, ids), pickupStores(prisma, today, showroom, args, ids)]);
      answers.set(
        group,
        new Map(
          ids.map((productId) => [
            productId,
            {
              showroom,
              displayed: facts.displayed.has(productId),
              pickupStores: pickups.filter((r) => r.productId === productId),
              homeDelivery: facts.delivered.has(productId),
            },
          ]),
        ),
      );
    }),
  );
  return keys.map((key) => answers.get(groupOf(key))?.get(key.productId) ?? null);
}

/** Which products the showroom displays (a unit on its floor), and which a delivering store within 50 km holds. */
async function offerFacts(prisma: PrismaClient, today: string, showroom: StoreModel, productIds: string[]) {
  const rows = await prisma.$queryRaw<{ productId: string; kind: "displayed" | "delivered" }[]>`
    SELECT st."product_id"::text AS "productId", 'displayed' AS "kind"
      FROM "stores"."stock" st
     WHERE st."store_id" = ${showroom.id}::uuid AND st."product_id" = ANY(${productIds}::uuid[]) AND st."quantity" > 0
    UNION
    SELECT DISTINCT st."product_id"::text, 'delivered'
      FROM "stores"."store" s JOIN "stores"."stock" st ON st."store_id" = s."id"
     WHERE ${withinBoxSql(boundingBox(showroom, DELIVERY_RADIUS_KM))}
       AND ${sellsOffShelfSql(today)}
       AND 'HOME_DELIVERY' = ANY(s."capabilities")
       AND ${distanceSql(showroom)} <= ${DELIVERY_RADIUS_KM}::float8
       AND st."product_id" = ANY(${productIds}::uuid[]) AND st."quantity" > 0`;
  return {
    displayed: new Set(rows.filter((r) => r.kind === "displayed").map((r) => r.productId)),
    delivered: new Set(rows.filter((r) => r.kind === "delivered").map((r) => r.productId)),
  };
}

/** The nearest PICKUP stores to the showroom that sell today and hold each product: ranked per product, `first` each. */
function pickupStores(prisma: PrismaClient, today: string, showroom: StoreModel, args: ShowroomOfferArgs, productIds: string[]): Promise<AvailabilityRow[]> {
  return prisma.$queryRaw<AvailabilityRow[]>`
    SELECT r."productId", r."storeId", r."quantity", r."distanceKm"
    FROM (
      SELECT st."product_id"::text AS "productId", st."store_id"::text AS "storeId", st."quantity", c."distance_km" AS "distanceKm",
             row_number() OVER (PARTITION BY st."product_id" ORDER BY c."distance_km", st."store_id") AS "rank"
      FROM (
        SELECT s."id", ${distanceSql(showroom)} AS "distance_km"
          FROM "stores"."store" s
         WHERE ${withinBoxSql(boundingBox(showroom, args.radiusKm))}
           AND ${sellsOffShelfSql(today)}
           AND 'PICKUP' = ANY(s."capabilities")
      ) c
      JOIN "stores"."stock" st ON st."store_id" = c."id"
      WHERE st."product_id" = ANY(${productIds}::uuid[]) AND st."quantity" > 0 AND c."distance_km" <= ${args.radiusKm}::float8
    ) r
    WHERE r."rank" <= ${args.first}
    ORDER BY r."productId", r."rank"`;
}
