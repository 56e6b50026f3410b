import { forbidden, isId, keyMayActForAnyOf, parsePage, parseId, requireScope, toConnection, type Connection, type PageArgs, type Scope } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ServiceOrderModel } from "../generated/prisma/models.ts";
import type { EntityRef } from "../parents.ts";

/** Reads of service orders: who may see one, and a member's list (keyset pages, batched). */

/**
 * Whether an API key holding `scope` may read or work on a service order: a platform key on any, a partner key only
 * at its own retailer's store (stores is asked, batched through `storeRetailer`). Members and services: false.
 */
export const keyMayServe = (ctx: LogisticsContext, o: Pick<ServiceOrderModel, "storeId">, scope: Scope): Promise<boolean> =>
  keyMayActForAnyOf(ctx.caller, scope, async () => [await ctx.loaders.storeRetailer.load(o.storeId)]);

const isOwnMember = (ctx: LogisticsContext, memberId: string) => ctx.caller.memberId !== null && ctx.caller.memberId.toLowerCase() === memberId;

/**
 * `serviceOrder(id)` (scope orders:read, checked here too): the member's own, or for an API key one at its retailer's
 * stores (a platform key: any). Anything else or an unknown id is null; a malformed id BAD_USER_INPUT.
 */
export async function findServiceOrder(ctx: LogisticsContext, id: string): Promise<ServiceOrderModel | null> {
  requireScope(ctx.caller, "orders:read");
  const o = await ctx.loaders.serviceOrderById.load(parseId(id, "id"));
  if (!o) return null;
  if (isOwnMember(ctx, o.memberId)) return o;
  return (await keyMayServe(ctx, o, "orders:read")) ? o : null;
}

/** Keyset position in a member's list: `[createdAt ISO, id]`. */
export type ServiceOrderCursor = [createdAt: string, id: string];

const isCursor = (value: unknown): value is ServiceOrderCursor =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === "string" && isId(value[1]);

export interface ServiceOrderPageKey {
  memberId: string;
  take: number;
  after: ServiceOrderCursor | null;
}

/** `Member.serviceOrders`: only the member themself (scope orders:read); anyone else FORBIDDEN, before any SQL. */
export async function memberServiceOrders(ctx: LogisticsContext, member: EntityRef, args: PageArgs): Promise<Connection<ServiceOrderModel>> {
  requireScope(ctx.caller, "orders:read");
  if (!isId(member.id) || !isOwnMember(ctx, member.id.toLowerCase())) throw forbidden("Only the member themself may list their service orders.");
  const page = parsePage({ first: args.first ?? 10, after: args.after }, isCursor);
  const rows = await ctx.loaders.serviceOrderPage.load({ memberId: parseId(member.id), take: page.take, after: page.after });
  return toConnection(rows, page, (o) => [o.createdAt.toISOString(), o.id]);
}

/**
 * Pages of several members' service orders in ONE statement (a LATERAL per key over the (member_id, created_at DESC,
 * id) index), then their rows in one more.
 */
export async function serviceOrderPages(prisma: PrismaClient, keys: readonly ServiceOrderPageKey[]): Promise<ServiceOrderModel[][]> {
  const recordset = JSON.stringify(keys.map((k, i) => ({ key_index: i, member_id: k.memberId, take: k.take, after_at: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })));
  const ids = await prisma.$queryRaw<{ keyIndex: number; id: string }[]>`
    SELECT k."key_index" AS "keyIndex", o."id"::text AS "id"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "member_id" uuid, "take" int, "after_at" timestamptz, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT s."id", s."created_at" FROM "logistics"."service_order" s
      WHERE s."member_id" = k."member_id"
        AND (k."after_at" IS NULL OR s."created_at" < k."after_at" OR (s."created_at" = k."after_at" AND s."id" > k."after_id"))
      ORDER BY s."created_at" DESC, s."id" ASC
      LIMIT k."take"
    ) o
    ORDER BY k."key_index", o."created_at" DESC, o."id" ASC`;
  const rows = ids.length ? await prisma.serviceOrder.findMany({ where: { id: { in: ids.map((r) => r.id) } } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pages: ServiceOrderModel[][] = keys.map(() => []);
  for (const { keyIndex, id } of ids) {
    const row = byId.get(id);
    if (row) pages[keyIndex]?.push(row);
  }
  return pages;
}
