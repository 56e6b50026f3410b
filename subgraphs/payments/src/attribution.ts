import { badUserInput, forbidden, isDisplayOnlyStore, isId, isService, refuse } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { CheckoutInput } from "./generated/graphql.ts";
import type { StoreFacts } from "./siblings.ts";

/**
 * Showroom attribution: a checkout may credit its sale to another store than the one the goods come from (the
 * showroom where the product was seen), and stores asks here for the orders attributed to a store (`Store.conversion`).
 * Display-only stores never sell their display stock: checkout refuses any line taken from one (DISPLAY_ONLY).
 */

/** Statuses whose orders count as a store's attributed sales: money held or taken, not cancelled or refunded. */
export const COUNTED_STATUSES = ["AUTHORIZED", "PAID", "COMPLETED"] as const;
export const MAX_SALES_REQUESTS = 100;

/**
 * The attributed store of a checkout (UNKNOWN_STORE at `input.attributedStoreId`), or null when none was named; its
 * facts come with the checkout's other stores, in the same one call to stores.
 */
export function attributedStoreOf(input: CheckoutInput, facts: Map<string, StoreFacts>): string | null {
  if (input.attributedStoreId == null) return null;
  const id = input.attributedStoreId.toLowerCase();
  if (!facts.get(id)) refuse("UNKNOWN_STORE", `No store has the id ${input.attributedStoreId}.`, ["input", "attributedStoreId"]);
  return id;
}

/**
 * DISPLAY_ONLY for the first line whose stock would come from a showroom or display-only store, whatever the channel
 * and fulfilment: named on the line, or the pickup store the line is taken from. Runs before any sibling holds anything.
 */
export function refuseDisplayStock(input: CheckoutInput, lines: { storeId: string | null }[], facts: Map<string, StoreFacts>): void {
  const byId = new Map([...facts.values()].map((f) => [f.id.toLowerCase(), f]));
  lines.forEach((line, i) => {
    const store = line.storeId ? byId.get(line.storeId.toLowerCase()) : undefined;
    if (!store || !isDisplayOnlyStore(store)) return;
    const field = input.lines[i]?.storeId ? ["input", "lines", i, "storeId"] : ["input", "fulfillment", "storeId"];
    refuse("DISPLAY_ONLY", "That store only displays products: its stock is never sold. Buy online for pickup or delivery elsewhere (Product.showroomOffer).", field);
  });
}

export interface SalesRequest {
  storeId: string;
  from: string;
  to: string;
  timeZone: string;
}

export interface AttributedSales {
  orders: number;
  revenue: { amount: number; currency: string }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * `Query.attributedSales` (internal, the stores service only): one statement for every request. A day runs from local
 * midnight to local midnight in the request's time zone; placed_at is compared as an instant (index-friendly).
 */
export async function attributedSales(ctx: PaymentsContext, requests: SalesRequest[]): Promise<AttributedSales[]> {
  if (!isService(ctx.caller, "stores")) throw forbidden("Only the stores service reads attributed sales.");
  if (requests.length > MAX_SALES_REQUESTS) throw badUserInput(`At most ${MAX_SALES_REQUESTS} requests at once.`, { argument: "requests" });
  requests.forEach((r, i) => {
    if (!isId(r.storeId)) throw badUserInput("storeId is not a store id", { argument: `requests.${i}.storeId` });
    if (!DATE.test(r.from) || !DATE.test(r.to) || Number.isNaN(Date.parse(r.from)) || Number.isNaN(Date.parse(r.to)) || r.to < r.from) {
      throw badUserInput("from and to must be dates (YYYY-MM-DD), to not before from", { argument: `requests.${i}` });
    }
    if (!validTimeZone(r.timeZone)) throw badUserInput("timeZone is not an IANA time zone", { argument: `requests.${i}.timeZone` });
  });
  if (!requests.length) return [];
  const recordset = JSON.stringify(requests.map((r, i) => ({ i, store_id: r.storeId.toLowerCase(), from_date: r.from, to_date: r.to, time_zone: r.timeZone })));
  const rows = await ctx.prisma.$queryRaw<{ i: number; currency: string; orders: number; amount: number }[]>`
    SELECT r."i", o."currency", count(*)::int AS "orders", sum(o."total_amount")::int AS "amount"
      FROM jsonb_to_recordset(${recordset}::jsonb) AS r("i" int, "store_id" uuid, "from_date" date, "to_date" date, "time_zone" text)
      JOIN "payments"."customer_order" o
        ON o."attributed_store_id" = r."store_id"
       AND o."placed_at" >= (r."from_date"::timestamp AT TIME ZONE r."time_zone")
       AND o."placed_at" < ((r."to_date" + 1)::timestamp AT TIME ZONE r."time_zone")
       AND o."status"::text = ANY(${[...COUNTED_STATUSES]}::text[])
     GROUP BY r."i", o."currency"
     ORDER BY r."i", o."currency"`;
  return requests.map((_, i) => {
    const mine = rows.filter((row) => row.i === i);
    return { orders: mine.reduce((n, row) => n + row.orders, 0), revenue: mine.map((row) => ({ amount: row.amount, currency: row.currency.trim() })) };
  });
}
