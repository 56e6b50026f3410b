import { badUserInput, isId, isStringKey, parseId, parsePage, toConnection, type Page, type PageArgs } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { Prisma, type PrismaClient, type StoreCapability, type StoreFormat } from "./generated/prisma/client.ts";
import type { RetailerModel, StockModel, StoreModel } from "./generated/prisma/models.ts";
import { boundingBox, distanceSql, parseGeoPoint, parseRadius, withinBoxSql, type LatLng } from "./geo.ts";

/** Reads of the store directory, retailers and store stock. Resolvers stay thin; the queries live here. */

export function findStore(ctx: StoresContext, id: string): Promise<StoreModel | null> {
  return ctx.loaders.storeById.load(parseId(id, "id"));
}

export function findRetailer(ctx: StoresContext, id: string): Promise<RetailerModel | null> {
  return ctx.loaders.retailerById.load(parseId(id, "id"));
}

/** A federation reference to a Store or Retailer: batched; malformed or unknown ids are null. */
export function storeReference(ctx: StoresContext, id: string): Promise<StoreModel | null> | null {
  return isId(id) ? ctx.loaders.storeById.load(id.toLowerCase()) : null;
}
export function retailerReference(ctx: StoresContext, id: string): Promise<RetailerModel | null> | null {
  return isId(id) ? ctx.loaders.retailerById.load(id.toLowerCase()) : null;
}

export async function listRetailers(ctx: StoresContext): Promise<RetailerModel[]> {
  const rows = await ctx.prisma.retailer.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  for (const row of rows) ctx.loaders.retailerById.prime(row.id, row);
  return rows;
}

/** Keyset positions of the directory: by distance (with `near`) or by name, each ending in the store id. */
export type StoreCursor = ["d", distanceKm: number, id: string] | ["n", name: string, id: string];

const isDistanceCursor = (v: unknown): v is StoreCursor =>
  Array.isArray(v) && v.length === 3 && v[0] === "d" && typeof v[1] === "number" && Number.isFinite(v[1]) && v[1] >= 0 && typeof v[2] === "string" && isId(v[2]);
const isNameCursor = (v: unknown): v is StoreCursor =>
  Array.isArray(v) && v.length === 3 && v[0] === "n" && isStringKey(v[1]) && typeof v[2] === "string" && isId(v[2]);

export interface StoresArgs extends PageArgs {
  near?: LatLng | null;
  radiusKm?: number | null;
  format?: StoreFormat | null;
  capability?: StoreCapability | null;
}

interface DirectoryRow {
  id: string;
  name: string;
  distanceKm: number | null;
}

/**
 * `Query.stores`: one statement for the page of ids (distance computed in SQL, bounding box first when a
 * radius is given), one batched statement for the stores themselves. All arguments are checked first.
 */
export async function listStores(ctx: StoresContext, args: StoresArgs) {
  const near = args.near ? parseGeoPoint(args.near, "near") : null;
  if (args.radiusKm != null && !near) throw badUserInput("radiusKm needs near", { argument: "radiusKm" });
  const radiusKm = args.radiusKm != null ? parseRadius(args.radiusKm) : null;
  const page = parsePage(args, near ? isDistanceCursor : isNameCursor);
  const after = page.after;

  const filters: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (args.format) filters.push(Prisma.sql`s."format" = ${args.format}::"stores"."StoreFormat"`);
  if (args.capability) filters.push(Prisma.sql`${args.capability}::"stores"."StoreCapability" = ANY(s."capabilities")`);

  let rows: DirectoryRow[];
  if (near) {
    if (radiusKm !== null) filters.push(withinBoxSql(boundingBox(near, radiusKm)));
    rows = await ctx.prisma.$queryRaw<DirectoryRow[]>`
      SELECT c."id", c."name", c."distanceKm"
      FROM (
        SELECT s."id", s."name", ${distanceSql(near)} AS "distanceKm"
        FROM "stores"."store" s
        WHERE ${Prisma.join(filters, " AND ")}
      ) c
      WHERE ${radiusKm === null ? Prisma.sql`TRUE` : Prisma.sql`c."distanceKm" <= ${radiusKm}::float8`}
        AND ${after ? Prisma.sql`(c."distanceKm", c."id") > (${after[1]}::float8, ${after[2]}::uuid)` : Prisma.sql`TRUE`}
      ORDER BY c."distanceKm", c."id"
      LIMIT ${page.take}`;
  } else {
    if (after) filters.push(Prisma.sql`(s."name", s."id") > (${after[1]}, ${after[2]}::uuid)`);
    rows = await ctx.prisma.$queryRaw<DirectoryRow[]>`
      SELECT s."id", s."name", NULL::float8 AS "distanceKm"
      FROM "stores"."store" s
      WHERE ${Prisma.join(filters, " AND ")}
      ORDER BY s."name", s."id"
      LIMIT ${page.take}`;
  }
  const stores = await ctx.loaders.storeById.loadMany(rows.map((r) => r.id));
  const entries = rows.flatMap((row, i) => {
    const store = stores[i];
    return store && !(store instanceof Error) ? [{ store, distanceKm: row.distanceKm }] : [];
  });
  return storeConnection(entries, page, (e): StoreCursor => (e.distanceKm === null ? ["n", e.store.name, e.store.id] : ["d", e.distanceKm, e.store.id]));
}

function storeConnection<T extends { store: StoreModel; distanceKm: number | null }>(rows: T[], page: Page<unknown>, keyOf: (row: T) => unknown) {
  const connection = toConnection(rows, page, keyOf);
  return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.store, distanceKm: e.node.distanceKm })) };
}

const isStoreNameCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && isStringKey(v[0]) && typeof v[1] === "string" && isId(v[1]);

/** A page of one retailer's stores, by (name, id). */
export interface RetailerStoresKey {
  retailerId: string;
  take: number;
  after: [name: string, id: string] | null;
}

/** `Retailer.stores`: by name then id; all retailers of a request in one statement (see retailerStorePages). */
export async function retailerStores(ctx: StoresContext, retailer: RetailerModel, args: PageArgs) {
  const page = parsePage(args, isStoreNameCursor);
  const stores = await ctx.loaders.retailerStores.load({ retailerId: retailer.id, take: page.take, after: page.after });
  return storeConnection(
    stores.map((store) => ({ store, distanceKm: null })),
    page,
    (e) => [e.store.name, e.store.id],
  );
}

/**
 * Pages of several retailers' stores in ONE statement: the keys travel as a JSON recordset and a LATERAL
 * subquery takes each page through the (retailer_id, name, id) index. Returns store ids per key.
 */
export async function retailerStorePages(prisma: PrismaClient, keys: readonly RetailerStoresKey[]): Promise<string[][]> {
  const recordset = JSON.stringify(
    keys.map((k, i) => ({ key_index: i, retailer_id: k.retailerId, take: k.take, after_name: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })),
  );
  const rows = await prisma.$queryRaw<{ keyIndex: number; id: string }[]>`
    SELECT k."key_index" AS "keyIndex", s."id"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "retailer_id" uuid, "take" int, "after_name" text, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT x."id", x."name" FROM "stores"."store" x
      WHERE x."retailer_id" = k."retailer_id"
        AND (k."after_name" IS NULL OR (x."name", x."id") > (k."after_name", k."after_id"))
      ORDER BY x."name", x."id"
      LIMIT k."take"
    ) s
    ORDER BY k."key_index", s."name", s."id"`;
  const pages: string[][] = keys.map(() => []);
  for (const row of rows) pages[row.keyIndex]?.push(row.id);
  return pages;
}

/** A page of one store's stock, by product id. */
export interface StockPageKey {
  storeId: string;
  take: number;
  after: string | null;
}

const isProductIdCursor = (v: unknown): v is string => typeof v === "string" && isId(v);

/** `Store.stock`: the store's stock rows by product id; every store of a request in one statement. */
export async function storeStock(ctx: StoresContext, store: StoreModel, args: PageArgs) {
  const page = parsePage(args, isProductIdCursor);
  const rows = await ctx.loaders.stockPage.load({ storeId: store.id, take: page.take, after: page.after?.toLowerCase() ?? null });
  return toConnection(rows, page, (row) => row.productId);
}

export async function stockPages(prisma: PrismaClient, keys: readonly StockPageKey[]): Promise<StockModel[][]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, take: k.take, after_product: k.after })));
  const rows = await prisma.$queryRaw<(StockModel & { keyIndex: number })[]>`
    SELECT k."key_index" AS "keyIndex", st."store_id" AS "storeId", st."product_id" AS "productId", st."quantity", st."updated_at" AS "updatedAt"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "take" int, "after_product" uuid)
    CROSS JOIN LATERAL (
      SELECT * FROM "stores"."stock" x
      WHERE x."store_id" = k."store_id" AND (k."after_product" IS NULL OR x."product_id" > k."after_product")
      ORDER BY x."product_id"
      LIMIT k."take"
    ) st
    ORDER BY k."key_index", st."product_id"`;
  const pages: StockModel[][] = keys.map(() => []);
  for (const { keyIndex, ...row } of rows) pages[keyIndex]?.push(row);
  return pages;
}

/** ISO day of the week (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` date. */
export function isoDayOfWeek(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** `Store.popUp`: the trading dates of a pop-up, null for any other store. */
export function popUpPeriod(store: StoreModel): { opensOn: string; closesOn: string } | null {
  if (store.format !== "POP_UP" || !store.popUpOpensOn || !store.popUpClosesOn) return null;
  return { opensOn: isoDate(store.popUpOpensOn), closesOn: isoDate(store.popUpClosesOn) };
}

/** `Store.isOpenOn(date)`: open hours on that weekday, and within a pop-up's dates. */
export async function isOpenOn(ctx: StoresContext, store: StoreModel, date: string): Promise<boolean> {
  const popUp = popUpPeriod(store);
  if (store.format === "POP_UP" && (!popUp || date < popUp.opensOn || date > popUp.closesOn)) return false;
  const hours = await ctx.loaders.openingHoursByStoreId.load(store.id);
  const day = isoDayOfWeek(date);
  return hours.some((h) => h.dayOfWeek === day);
}
