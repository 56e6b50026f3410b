import { timingSafeEqual } from "node:crypto";
import { enqueue, isId } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import { done, notFound, requireCounterKey, userError, type FulfillmentResult } from "./payloads.ts";
import { keyMayWorkOn } from "./store-owners.ts";
import { move } from "./transitions.ts";

/** Wrong pickup codes tried at the counter before the handover locks (a 6-digit code must not be guessable). */
export const MAX_CODE_ATTEMPTS = 5;

export interface HandOverInput {
  fulfillmentId: string;
  pickupCode: string;
  passportNumber?: string | null;
}

/** Asks the members subgraph whether a presented passport is the one verified for the member. */
export type PassportCheck = (memberId: string, number: string) => Promise<boolean>;

const sameCode = (given: string, expected: string | null) =>
  expected !== null && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

/**
 * Handover at the counter: READY_FOR_PICKUP, the member's code (five wrong ones lock it), and for tax-free orders the
 * passport the member verified with members. Wrong codes are the one refusal that writes: the attempt is counted
 * (atomically, so parallel guesses cannot get past the limit).
 */
export async function handOver(ctx: LogisticsContext, input: HandOverInput, passportMatches: PassportCheck): Promise<FulfillmentResult> {
  requireCounterKey(ctx.caller);
  const f = isId(input.fulfillmentId) ? await ctx.prisma.fulfillment.findUnique({ where: { id: input.fulfillmentId.toLowerCase() } }) : null;
  // Another retailer's fulfilment is answered like an unknown one: a key learns nothing about it.
  if (!f || !(await keyMayWorkOn(ctx, f, "fulfillment:write"))) return notFound(["input", "fulfillmentId"]);
  if (f.status !== "READY_FOR_PICKUP") return userError(f.id, "INVALID_STATE", `The fulfilment is ${f.status}; it is handed over once READY_FOR_PICKUP.`, ["input", "fulfillmentId"]);
  const locked = userError(f.id, "PICKUP_LOCKED", `${MAX_CODE_ATTEMPTS} wrong codes were tried: the member must contact the store.`, ["input", "pickupCode"]);
  if (f.failedCodeAttempts >= MAX_CODE_ATTEMPTS) return locked;
  if (!sameCode(input.pickupCode, f.pickupCode)) {
    const counted = await ctx.prisma.fulfillment.updateMany({
      where: { id: f.id, failedCodeAttempts: { lt: MAX_CODE_ATTEMPTS } },
      data: { failedCodeAttempts: { increment: 1 } },
    });
    return counted.count === 1 ? userError(f.id, "WRONG_PICKUP_CODE", "That is not this order's pickup code.", ["input", "pickupCode"]) : locked;
  }
  if (f.requiresPassportCheck) {
    const number = input.passportNumber?.trim();
    if (!number) return userError(f.id, "PASSPORT_REQUIRED", "A tax-free order is handed over against the visitor's passport.", ["input", "passportNumber"]);
    if (!f.memberId || !(await passportMatches(f.memberId, number))) {
      return userError(f.id, "PASSPORT_MISMATCH", "This passport is not the one verified for the member.", ["input", "passportNumber"]);
    }
  }
  const moved = await ctx.prisma.$transaction(async (tx) => {
    const note = f.requiresPassportCheck ? "Passport checked, tax-free" : "Handed over";
    if (!(await move(tx, f.id, ["READY_FOR_PICKUP"], "PICKED_UP", note))) return false;
    await enqueue(tx, "logistics", "fulfillment.completed", { orderId: f.orderId, fulfillmentId: f.id, memberId: f.memberId, status: "PICKED_UP" });
    return true;
  });
  if (!moved) return userError(f.id, "INVALID_STATE", "The fulfilment was handed over or cancelled meanwhile.", ["input", "fulfillmentId"]);
  ctx.kick();
  return done(f.id);
}
