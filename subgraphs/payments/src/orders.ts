import { forbidden, hasScope, isId, parseId, parsePage, toConnection, unauthenticated, type Connection, type PageArgs } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import type { EntityRef, OrderLineParent } from "./parents.ts";

/** Reads of members' orders. Resolvers stay thin; the queries and the access rule live here. */

/** The signed-in member's id (lower case), or UNAUTHENTICATED for anonymous callers and partner keys without a member. */
export function callerMemberId(ctx: PaymentsContext, to = "see orders"): string {
  const memberId = ctx.caller.memberId;
  if (!memberId) throw unauthenticated(`Sign in as a member to ${to}.`);
  return memberId.toLowerCase();
}

/** Whether the caller is the member who placed the order: orders are readable by their member only. */
const ownsOrder = (ctx: PaymentsContext, order: CustomerOrderModel | null): order is CustomerOrderModel =>
  order !== null && ctx.caller.memberId?.toLowerCase() === order.memberId;

/** Staff who hand orders over or refund them see the orders they work on (through a fulfilment, say). */
const STAFF_SCOPES = ["store:operate", "payments:refund"];
const staffMaySee = (ctx: PaymentsContext) => STAFF_SCOPES.some((s) => hasScope(ctx.caller, s));

/** `order(id)`: the caller's own order; null for another member's or an unknown one (no hint that it exists). */
export async function findOrder(ctx: PaymentsContext, id: string): Promise<CustomerOrderModel | null> {
  callerMemberId(ctx);
  const order = await ctx.loaders.orderById.load(parseId(id));
  return ownsOrder(ctx, order) ? order : null;
}

/**
 * A federation reference to an Order (e.g. from a logistics fulfilment): batched; the same rule as `order(id)`,
 * so a reference never discloses another member's order. Malformed or unknown ids are null.
 */
export async function orderReference(ctx: PaymentsContext, id: string): Promise<CustomerOrderModel | null> {
  if (!isId(id) || !(ctx.caller.memberId || staffMaySee(ctx))) return null;
  const order = await ctx.loaders.orderById.load(id.toLowerCase());
  return ownsOrder(ctx, order) || (order && staffMaySee(ctx)) ? order : null;
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

/** `Member.orders(first:)` default, as in schema.graphql. */
export const DEFAULT_ORDERS_PAGE = 10;

export interface OrderPageKey {
  memberId: string;
  /** Rows to fetch (page size + 1). */
  take: number;
  after: OrderCursor | null;
}

/**
 * `Member.orders`: newest first, keyset on (placed_at DESC, id ASC). Only the member themself may read them;
 * access and arguments are checked before any SQL runs.
 */
export async function memberOrders(ctx: PaymentsContext, member: EntityRef, args: PageArgs): Promise<Connection<CustomerOrderModel>> {
  const callerId = callerMemberId(ctx);
  if (!isId(member.id) || member.id.toLowerCase() !== callerId) throw forbidden("Only the member themself may see their orders.");
  // An explicit `first: null` means the schema's default, not the runtime's.
  const page = parsePage({ first: args.first ?? DEFAULT_ORDERS_PAGE, after: args.after }, isOrderCursor);
  const rows = await ctx.loaders.orderPage.load({ memberId: callerId, take: page.take, after: page.after });
  return toConnection(rows, page, orderCursorOf);
}

type OrderRow = CustomerOrderModel & { keyIndex: number };

/**
 * Pages of several members' orders in ONE statement: the keys travel as a JSON recordset and a LATERAL subquery
 * takes each member's page through the (member_id, placed_at DESC, id) index. Prisma's query API cannot express a
 * per-member LIMIT, hence raw SQL (parameterised; the table is schema-qualified).
 */
export async function orderPages(prisma: PrismaClient, keys: readonly OrderPageKey[]): Promise<CustomerOrderModel[][]> {
  const recordset = JSON.stringify(
    keys.map((k, i) => ({ key_index: i, member_id: k.memberId, take: k.take, after_at: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })),
  );
  const rows = await prisma.$queryRaw<OrderRow[]>`
    SELECT k."key_index" AS "keyIndex", o."id", o."number", o."member_id" AS "memberId", o."channel"::text AS "channel",
           o."status"::text AS "status", o."currency", o."subtotal_amount" AS "subtotalAmount", o."tax_free_amount" AS "taxFreeAmount",
           o."total_amount" AS "totalAmount", o."attributed_store_id" AS "attributedStoreId", o."idempotency_key" AS "idempotencyKey",
           o."placed_at" AS "placedAt"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "member_id" uuid, "take" int, "after_at" timestamptz, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT * FROM "payments"."customer_order" c
      WHERE c."member_id" = k."member_id"
        AND (k."after_at" IS NULL OR c."placed_at" < k."after_at" OR (c."placed_at" = k."after_at" AND c."id" > k."after_id"))
      ORDER BY c."placed_at" DESC, c."id" ASC
      LIMIT k."take"
    ) o
    ORDER BY k."key_index", o."placed_at" DESC, o."id" ASC`;
  const pages: CustomerOrderModel[][] = keys.map(() => []);
  for (const { keyIndex, ...order } of rows) pages[keyIndex]?.push(order);
  return pages;
}

/** `Order.lines`: batched for all orders of a request, in line position order; each carries the order's currency. */
export async function orderLines(ctx: PaymentsContext, order: CustomerOrderModel): Promise<OrderLineParent[]> {
  const lines = await ctx.loaders.linesByOrderId.load(order.id);
  return lines.map((line) => ({ ...line, currency: order.currency }));
}

/** An amount of the given currency as the shared `Money` value type. */
export const money = (amount: number, currency: string) => ({ amount, currency });
