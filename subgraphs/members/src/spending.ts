import { badUserInput, forbidden, idempotent, requireScope, isId, parseId, userError, type UserError, idempotencyKeyError } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";
import { keyMayReach } from "./club-access.ts";
import { addEntry, retryOnKeyRace } from "./points.ts";

/** Points leaving or entering a balance on request: redemption at payment (internal) and customer-service adjustments. */

export interface Redemption {
  ok: boolean;
  code: string | null;
  message: string | null;
  balanceAfter: number | null;
}

const refused = (code: string, message: string): Redemption => ({ ok: false, code, message, balanceAfter: null });

/**
 * `redeemPoints`: once per key (a replay gets the first answer; the key reused for another member, order or
 * amount is refused), never below zero however many redemptions race: the member's row is locked and the
 * balance taken by a conditional UPDATE, with the REDEMPTION entry in the same transaction.
 */
export async function redeemPoints(ctx: MembersContext, memberId: string, orderId: string, points: number, key: string): Promise<Redemption> {
  const order = parseId(orderId, "orderId");
  if (!key || key.length > 512) throw badUserInput("key must be 1 to 512 characters.", { argument: "key" });
  if (!isId(memberId)) return refused("UNKNOWN_MEMBER", "No such member.");
  if (!Number.isInteger(points) || points < 1 || points > 10_000_000) return refused("INVALID_POINTS", "Redeem 1 to 10,000,000 points.");
  const member = memberId.toLowerCase();
  const entry = await retryOnKeyRace(() =>
    ctx.prisma.$transaction((tx) => addEntry(tx, { memberId: member, points: -points, reason: "REDEMPTION", description: "Points spent on an order", orderId: order, key, mustCover: true })),
  );
  if (entry) {
    const same = entry.reason === "REDEMPTION" && entry.memberId === member && entry.orderId === order && entry.points === -points;
    return same ? { ok: true, code: null, message: null, balanceAfter: entry.balanceAfter } : refused("IDEMPOTENCY_KEY_REUSED", "This key was already used for another redemption.");
  }
  const found = await ctx.prisma.member.findUnique({ where: { id: member } });
  return found ? refused("INSUFFICIENT_POINTS", `The balance (${found.pointsBalance}) does not cover ${points} points.`) : refused("UNKNOWN_MEMBER", "No such member.");
}

export interface AdjustResult {
  entryId: string | null;
  memberId: string | null;
  userErrors: UserError[];
}

/**
 * `adjustPoints` (scope loyalty:write, API keys only): one ADJUSTMENT entry per idempotency key, identical answers for
 * replays. A partner key adjusts only its club's members; any other member is UNKNOWN_MEMBER (no hint it exists).
 */
export async function adjustPoints(ctx: MembersContext, input: { memberId: string; points: number; note: string; idempotencyKey: string }): Promise<AdjustResult> {
  requireScope(ctx.caller, "loyalty:write");
  if (ctx.caller.keyId === null) throw forbidden("Points are adjusted with a retailer's or the platform's API key.");
  const no = (e: UserError): AdjustResult => ({ entryId: null, memberId: null, userErrors: [e] });
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return no(keyError);
  if (!isId(input.memberId) || !(await keyMayReach(ctx, input.memberId.toLowerCase(), "loyalty:write"))) return no(userError("UNKNOWN_MEMBER", "No such member.", ["input", "memberId"]));
  if (!Number.isInteger(input.points) || input.points === 0 || Math.abs(input.points) > 1_000_000) return no(userError("INVALID_POINTS", "points must be non-zero and at most 1,000,000 either way.", ["input", "points"]));
  if (!input.note.trim()) return no(userError("NOTE_REQUIRED", "Say why, for the member's statement.", ["input", "note"]));
  const memberId = input.memberId.toLowerCase();
  return idempotent(ctx.prisma, "members", "adjust", input.idempotencyKey, input, async () => {
    const entry = await ctx.prisma.$transaction((tx) =>
      addEntry(tx, { memberId, points: input.points, reason: "ADJUSTMENT", description: input.note.trim(), key: `adjust:${input.idempotencyKey}`, mustCover: true }),
    );
    if (entry) return { entryId: entry.id, memberId, userErrors: [] };
    const exists = await ctx.prisma.member.findUnique({ where: { id: memberId } });
    return no(exists ? userError("INSUFFICIENT_POINTS", "The balance cannot go below zero.", ["input", "points"]) : userError("UNKNOWN_MEMBER", "No such member.", ["input", "memberId"]));
  });
}
