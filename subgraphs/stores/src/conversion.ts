import { badUserInput, forbidden, keyMayActFor, requireScope, type Peers } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { StoreModel } from "./generated/prisma/models.ts";

/**
 * `Store.conversion(from, to)`: a store's footfall (door counts, member check-ins) over a range of its local dates,
 * and the orders attributed to it in that range (from payments, which owns orders: one internal call per batch).
 */
export const MAX_RANGE_DAYS = 366;

export interface ConversionKey {
  storeId: string;
  timeZone: string;
  from: string;
  to: string;
}

export interface ConversionFigures {
  visits: number;
  identifiedVisits: number;
  identifiedMembers: number;
  ordersAttributed: number;
  revenueAttributed: { amount: number; currency: string } | null;
}

/** What `StoreConversion`'s resolvers receive. */
export interface ConversionParent extends ConversionFigures {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Validates the range: `to` not before `from`, at most 366 days (both inclusive). */
export function parseRange(from: string, to: string): { from: string; to: string } {
  if (to < from) throw badUserInput("to must not be before from", { argument: "to" });
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_RANGE_DAYS) throw badUserInput(`A range covers at most ${MAX_RANGE_DAYS} days.`, { argument: "to", maximum: MAX_RANGE_DAYS });
  return { from, to };
}

/** `Store.conversion`: scope `analytics:read`, a partner key only for its own retailer's stores (FORBIDDEN otherwise). */
export async function storeConversion(ctx: StoresContext, store: StoreModel, args: { from: string; to: string }): Promise<ConversionParent> {
  requireScope(ctx.caller, "analytics:read");
  if (!keyMayActFor(ctx.caller, "analytics:read", store.retailerId)) throw forbidden("This key may read only its own retailer's stores' figures.");
  const range = parseRange(args.from, args.to);
  const figures = await ctx.loaders.conversion.load({ storeId: store.id, timeZone: store.timeZone, ...range });
  return { ...range, ...figures };
}

export const conversionCacheKey = (k: ConversionKey) => JSON.stringify([k.storeId, k.from, k.to]);

interface AttributedSales {
  orders: number;
  revenue: { amount: number; currency: string }[];
}

/** Every key of a tick: one statement for the footfall, one call to payments for the attributed orders. */
export async function conversionBatch(prisma: PrismaClient, peers: Peers, keys: readonly ConversionKey[]): Promise<ConversionFigures[]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, store_id: k.storeId, from_date: k.from, to_date: k.to })));
  const [footfall, sales] = await Promise.all([
    prisma.$queryRaw<{ keyIndex: number; visits: number; identifiedVisits: number; identifiedMembers: number }[]>`
      SELECT k."key_index" AS "keyIndex",
             (SELECT coalesce(sum(v."count"), 0)::int FROM "stores"."store_visit_count" v
               WHERE v."store_id" = k."store_id" AND v."visit_date" BETWEEN k."from_date" AND k."to_date") AS "visits",
             (SELECT count(*)::int FROM "stores"."store_check_in" c
               WHERE c."store_id" = k."store_id" AND c."visit_date" BETWEEN k."from_date" AND k."to_date") AS "identifiedVisits",
             (SELECT count(DISTINCT c."member_id")::int FROM "stores"."store_check_in" c
               WHERE c."store_id" = k."store_id" AND c."visit_date" BETWEEN k."from_date" AND k."to_date") AS "identifiedMembers"
        FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "store_id" uuid, "from_date" date, "to_date" date)
       ORDER BY k."key_index"`,
    peers.call<{ attributedSales: AttributedSales[] }>(
      "payments",
      `query($r: [AttributedSalesRequest!]!) { attributedSales(requests: $r) { orders revenue { amount currency } } }`,
      { r: keys.map((k) => ({ storeId: k.storeId, from: k.from, to: k.to, timeZone: k.timeZone })) },
    ),
  ]);
  return keys.map((_, i) => {
    const counted = footfall.find((f) => f.keyIndex === i)!;
    const attributed = sales.attributedSales[i] ?? { orders: 0, revenue: [] };
    return {
      visits: counted.visits,
      identifiedVisits: counted.identifiedVisits,
      identifiedMembers: counted.identifiedMembers,
      ordersAttributed: attributed.orders,
      // The platform prices in one currency (JPY); several would each be a separate figure.
      revenueAttributed: attributed.revenue[0] ?? null,
    };
  });
}

/** ordersAttributed / visits; null without visits (no rate to speak of). */
export const conversionRate = (c: ConversionFigures): number | null => (c.visits > 0 ? c.ordersAttributed / c.visits : null);
