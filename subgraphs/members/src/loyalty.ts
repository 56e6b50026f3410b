import { isId, parsePage, toConnection, type PageArgs } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { MemberModel, PartnerMembershipModel, PointsLedgerEntryModel } from "./generated/prisma/models.ts";

/** Reads of members, their ledgers and memberships. Resolvers stay thin; the queries live here. */

/** `me`: the member the gateway signed in, or null (anonymous caller, or a member that does not exist). */
export function findMe(ctx: MembersContext): Promise<MemberModel | null> | null {
  const memberId = ctx.caller.memberId;
  if (!memberId || !isId(memberId)) return null;
  return ctx.loaders.memberById.load(memberId.toLowerCase());
}

/** A federation reference to a Member: batched; malformed or unknown ids are null. */
export function memberReference(ctx: MembersContext, id: string): Promise<MemberModel | null> | null {
  return isId(id) ? ctx.loaders.memberById.load(id.toLowerCase()) : null;
}

/** Ledger keyset position: the (created_at, id) of the last entry seen, as `[ISO instant, uuid]`. */
export type LedgerCursor = [createdAt: string, id: string];

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isLedgerCursor(value: unknown): value is LedgerCursor {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [at, id] = value as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !ISO_INSTANT.test(at) || !isId(id)) return false;
  const parsed = new Date(at);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === at;
}

export const ledgerCursorOf = (entry: PointsLedgerEntryModel): LedgerCursor => [entry.createdAt.toISOString(), entry.id];

export interface LedgerPageKey {
  memberId: string;
  /** Rows to fetch (page size + 1). */
  take: number;
  after: LedgerCursor | null;
}

/** `Member.pointsLedger`: newest first, keyset on (created_at DESC, id ASC); bad arguments fail before the ledger query. */
export async function pointsLedger(ctx: MembersContext, member: MemberModel, args: PageArgs) {
  const page = parsePage(args, isLedgerCursor);
  const rows = await ctx.loaders.ledgerPage.load({ memberId: member.id, take: page.take, after: page.after });
  return toConnection(rows, page, ledgerCursorOf);
}

type LedgerRow = PointsLedgerEntryModel & { keyIndex: number };

/**
 * Pages of several members' ledgers in ONE statement: the keys travel as a JSON recordset and a LATERAL
 * subquery takes each member's page through the (member_id, created_at DESC, id) index. Prisma's query API
 * cannot express a per-member LIMIT, hence raw SQL (parameterised; the table is schema-qualified).
 */
export async function ledgerPages(prisma: PrismaClient, keys: readonly LedgerPageKey[]): Promise<PointsLedgerEntryModel[][]> {
  const recordset = JSON.stringify(
    keys.map((k, i) => ({ key_index: i, member_id: k.memberId, take: k.take, after_at: k.after?.[0] ?? null, after_id: k.after?.[1] ?? null })),
  );
  const rows = await prisma.$queryRaw<LedgerRow[]>`
    SELECT k."key_index" AS "keyIndex", e."id", e."member_id" AS "memberId", e."points", e."balance_after" AS "balanceAfter",
           e."reason"::text AS "reason", e."description", e."order_id" AS "orderId", e."idempotency_key" AS "idempotencyKey", e."source_retailer_id" AS "sourceRetailerId",
           e."created_at" AS "createdAt"
    FROM jsonb_to_recordset(${recordset}::jsonb) AS k("key_index" int, "member_id" uuid, "take" int, "after_at" timestamptz, "after_id" uuid)
    CROSS JOIN LATERAL (
      SELECT * FROM "members"."points_ledger_entry" p
      WHERE p."member_id" = k."member_id"
        AND (k."after_at" IS NULL OR p."created_at" < k."after_at" OR (p."created_at" = k."after_at" AND p."id" > k."after_id"))
      ORDER BY p."created_at" DESC, p."id" ASC
      LIMIT k."take"
    ) e
    ORDER BY k."key_index", e."created_at" DESC, e."id" ASC`;
  const pages: PointsLedgerEntryModel[][] = keys.map(() => []);
  for (const { keyIndex, ...entry } of rows) pages[keyIndex]?.push(entry);
  return pages;
}

/** `Member.memberships`: batched for all members of a request, oldest link first. */
export function memberships(ctx: MembersContext, member: MemberModel): Promise<PartnerMembershipModel[]> {
  return ctx.loaders.membershipsByMemberId.load(member.id);
}

/** A partner card number with every letter and digit but the last 4 replaced by `*` (separators kept). */
export function maskMemberNumber(memberNumber: string): string {
  let visible = 4;
  const chars = [...memberNumber];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (!/[0-9A-Za-z]/.test(chars[i]!)) continue;
    if (visible > 0) visible--;
    else chars[i] = "*";
  }
  return chars.join("");
}
