import { forbidden, isId, keyMayActFor, parseId, parsePage, requireScope, toConnection, unauthenticated, type Caller, type Connection, type PageArgs, type Scope } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import { Prisma, type PrismaClient } from "./generated/prisma/client.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import type { EntityRef, OrderLineParent } from "./parents.ts";

/** Reads of members' orders. Resolvers stay thin; the queries and the access rule live here. */

/**
 * The signed-in member a members-only operation acts for (lower case), after the subgraph's own check of the field's
 * scope: anonymous callers get UNAUTHENTICATED, callers without `scope` FORBIDDEN, and API keys (and services) FORBIDDEN
 * too — checkout, payment, cancellation and the wallet act for the member themself only.
 */
export function memberActing(ctx: PaymentsContext, scope: Scope | null, to: string): string {
  if (scope) requireScope(ctx.caller, scope);
  const memberId = ctx.caller.memberId;
  if (memberId) return memberId.toLowerCase();
  if (ctx.caller.keyId === null && ctx.caller.service === null) throw unauthenticated(`Sign in as a member to ${to}.`);
  throw forbidden(`Only a signed-in member may ${to}; API keys cannot.`);
}

/** Whether the caller is the member who placed the order: orders are readable by their member only. */
const ownsOrder = (ctx: PaymentsContext, order: CustomerOrderModel | null): order is CustomerOrderModel =>
  order !== null && ctx.caller.memberId?.toLowerCase() === order.memberId;

/**
 * API keys that work on orders (reading them, handing them over at the counter, refunding them) see the orders
 * credited to their retailer's stores; platform keys see every order.
 */
const KEY_ORDER_SCOPES: Scope[] = ["orders:read", "orders:write", "fulfillment:write", "payments:write"];
const keyMaySee = (ctx: PaymentsContext, order: CustomerOrderModel | null): order is CustomerOrderModel =>
  order !== null && KEY_ORDER_SCOPES.some((scope) => keyMayActOnOrder(ctx.caller, scope, order));

/**
 * Whether an API key holding `scope` may act on an order: a platform key on any; a partner key on orders credited
 * to its stores and on orders members placed through its app (`placedViaRetailerId`).
 */
export const keyMayActOnOrder = (caller: Caller, scope: Scope, order: CustomerOrderModel): boolean =>
  [order.sourceRetailerId, order.placedViaRetailerId].some((retailerId) => keyMayActFor(caller, scope, retailerId));
const mayRead = (ctx: PaymentsContext, order: CustomerOrderModel | null): order is CustomerOrderModel => ownsOrder(ctx, order) || keyMaySee(ctx, order);

/**
 * `order(id)` (scope orders:read): a member's own order, or for a key one credited to its retailer (a platform
 * key: any). Null for anything else or an unknown id (no hint that it exists).
 */
export async function findOrder(ctx: PaymentsContext, id: string): Promise<CustomerOrderModel | null> {
  requireScope(ctx.caller, "orders:read");
  const order = await ctx.loaders.orderById.load(parseId(id));
  return mayRead(ctx, order) ? order : null;
}

/**
 * A federation reference to an Order (e.g. from a logistics fulfilment): batched; the same rule as `order(id)`,
 * so a reference never discloses another member's order. Malformed or unknown ids are null.
 */
export async function orderReference(ctx: PaymentsContext, id: string): Promise<CustomerOrderModel | null> {
  if (!isId(id) || !(ctx.caller.memberId || ctx.caller.keyId)) return null;
  const order = await ctx.loaders.orderById.load(id.toLowerCase());
  return mayRead(ctx, order) ? order : null;
}

/** Order keyset position: the (placed_at, id) of the last order seen, as `[ISO instant, uuid]`. */
export type OrderCursor = [placedAt: string, id: string];

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isOrderCursor(value: unknown): value is OrderCursor {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [at, id] = value as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !ISO_INSTANT.test(at) || !isId(id)) return false;
  const parsed = new Date(at);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === at;
}

export const orderCursorOf = (order: CustomerOrderModel): OrderCursor => [order.placedAt.toISOString(), order.id];

/** `Member.orders(first:)` and `Retailer.orders(first:)` defaults, as in schema.graphql. */
export const DEFAULT_ORDERS_PAGE = { member: 10, retailer: 20 } as const;

export interface OrderPageKey {
  /** Whose orders: a member's, or a retailer's (credited to its stores or placed through its app). */
  by: "member" | "retailer";
  id: string;
  /** Rows to fetch (page size + 1). */
  take: number;
  after: OrderCursor | null;
}

/**
 * `Member.orders` (scope orders:read): newest first, keyset on (placed_at DESC, id ASC). The member themself, or a
 * platform key; a partner key lists its own orders through `Retailer.orders`. Checked before any SQL runs.
 */
export async function memberOrders(ctx: PaymentsContext, member: EntityRef, args: PageArgs): Promise<Connection<CustomerOrderModel>> {
  requireScope(ctx.caller, "orders:read");
  const self = ctx.caller.memberId !== null && isId(member.id) && member.id.toLowerCase() === ctx.caller.memberId.toLowerCase();
  if (!self && !keyMayActFor(ctx.caller, "orders:read", null)) throw forbidden("Only the member themself (or a platform key) may see a member's orders; partner keys use Retailer.orders.");
  return orderPage(ctx, "member", parseId(member.id), args);
}

/**
 * `Retailer.orders` (scope orders:read): the orders credited to the retailer's stores or placed through its app,
 * newest first (20 by default); its own keys or a platform key, FORBIDDEN for anyone else (members included).
 */
export async function retailerOrders(ctx: PaymentsContext, retailer: EntityRef, args: PageArgs): Promise<Connection<CustomerOrderModel>> {
  requireScope(ctx.caller, "orders:read");
  if (!keyMayActFor(ctx.caller, "orders:read", isId(retailer.id) ? retailer.id : null)) throw forbidden("A partner key may list only its own retailer's orders.");
  return orderPage(ctx, "retailer", parseId(retailer.id), args);
}

function orderPage(ctx: PaymentsContext, by: OrderPageKey["by"], id: string, args: PageArgs): Promise<Connection<CustomerOrderModel>> {
  // An explicit `first: null` means the schema's default, not the runtime's.
  const page = parsePage({ first: args.first ?? DEFAULT_ORDERS_PAGE[by], after: args.after }, isOrderCursor);
  return ctx.loaders.orderPage.load({ by, id, take: page.take, after: page.after }).then((rows) => toConnection(rows, page, orderCursorOf));
}


type OrderRow = CustomerOrderModel & { keyIndex: number };

/**
 * Pages of several members' (or retailers') orders in ONE statement: the keys travel as a JSON recordset and a
 * LATERAL subquery takes each page through the (member_id | source_retailer_id, placed_at DESC, id) index. Prisma's query API cannot express a
 * per-member LIMIT, hence raw SQL (parameterised; the table is schema-qualified).
 */
export async function orderPages(prisma: PrismaClient, keys: readonly OrderPageKey[]): Promise<CustomerOrderModel[][]> {
  const pages: CustomerOrderModel[][] = keys.map(() => []);
  for (const by of ["member", "retailer"] as const) {
    const mine = keys.map((k, i) => ({ k, i })).filter((x) => x.k.by === by);
    if (mine.length) for (const { keyIndex, ...order } of await pagesBy(prisma, by, mine)) pages[keyIndex]?.push(order);
  }
  return pages;
}

async function pagesBy(prisma: PrismaClient, by: OrderPageKey["by"], keys: { k: OrderPageKey; i: number }[]): Promise<OrderRow[]> {
  const recordset = JSON.stringify(keys.map(({ k, i }) => ({ key_index: i, owner_id: k.id, take: k.take, after_at: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })));
  // One of two fixed conditions, never input. A retailer's orders come through two indexes (BitmapOr).
  const owner = Prisma.raw(by === "member" ? `c."member_id" = k."owner_id"` : `(c."source_retailer_id" = k."owner_id" OR c."placed_via_retailer_id" = k."owner_id")`);
  return prisma.$queryRaw<OrderRow[]>`
    SELECT k."key_index" AS "keyIndex", o."id", o."number", o."member_id" AS "memberId", o."channel"::text AS "channel",
           o."status"::text AS "status", o."currency", o."subtotal_amount" AS "subtotalAmount", o."tax_free_amount" AS "taxFreeAmount",
           o."total_amount" AS "totalAmount", o."attributed_store_id" AS "attributedStoreId", o."idempotency_key" AS "idempotencyKey",
           o."placed_at" AS "placedAt", o."tax_free" AS "taxFree", o."pay_by" AS "payBy", o."source_retailer_id" AS "sourceRetailerId",
           o."has_fulfillment" AS "hasFulfillment", o."placed_via_retailer_id" AS "placedViaRetailerId"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "owner_id" uuid, "take" int, "after_at" timestamptz, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT * FROM "payments"."customer_order" c
      WHERE ${owner}
        AND (k."after_at" IS NULL OR c."placed_at" < k."after_at" OR (c."placed_at" = k."after_at" AND c."id" > k."after_id"))
      ORDER BY c."placed_at" DESC, c."id" ASC
      LIMIT k."take"
    ) o
    ORDER BY k."key_index", o."placed_at" DESC, o."id" ASC`;
}

/** `Order.lines`: batched for all orders of a request, in line position order; each carries the order's currency. */
export async function orderLines(ctx: PaymentsContext, order: CustomerOrderModel): Promise<OrderLineParent[]> {
  const lines = await ctx.loaders.linesByOrderId.load(order.id);
  return lines.map((line) => ({ ...line, currency: order.currency }));
}

/** An amount of the given currency as the shared `Money` value type. */
export const money = (amount: number, currency: string) => ({ amount, currency });
