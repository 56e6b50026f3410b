import { forbidden, isId, refuse, settle, type UserError } from "@o2o/runtime";
import type { PaymentsContext } from "../context.ts";
import type { DefaultPaymentMethodModel } from "../generated/prisma/models.ts";
import type { SetDefaultPaymentMethodInput } from "../generated/graphql.ts";
import { memberActing } from "../orders.ts";
import type { EntityRef } from "../parents.ts";

/** A member's default payment method: what a checkout-free store charges when they walk out. */
export type DefaultMethodResult = { memberId: string | null; userErrors: UserError[] };

/** A processor token's shape (the processor itself decides, when charging, whether it approves it). */
const CARD_TOKEN = /^tok_[a-z0-9_]{1,40}$/;

/** `setDefaultPaymentMethod`: replaces the member's saved method; a bad input changes nothing. */
export function setDefaultPaymentMethod(ctx: PaymentsContext, memberId: string, input: SetDefaultPaymentMethodInput): Promise<DefaultMethodResult> {
  return settle<DefaultMethodResult>(
    async () => {
      const token = input.cardToken ?? null;
      if (input.method === "CARD" && !token) refuse("CARD_TOKEN_REQUIRED", "A CARD default needs the card's processor token (tok_…).", ["input", "cardToken"]);
      if (input.method === "CARD" && !CARD_TOKEN.test(token!)) refuse("INVALID_CARD_TOKEN", "A card token looks like tok_visa.", ["input", "cardToken"]);
      if (input.method === "WALLET" && token !== null) refuse("CARD_TOKEN_NOT_ALLOWED", "The WALLET method takes no card token.", ["input", "cardToken"]);
      const data = { method: input.method, cardToken: input.method === "CARD" ? token : null, updatedAt: new Date() };
      await ctx.prisma.defaultPaymentMethod.upsert({ where: { memberId }, create: { memberId, ...data }, update: data });
      return { memberId, userErrors: [] };
    },
    (userErrors) => ({ memberId: null, userErrors }),
  );
}

/** `Member.defaultPaymentMethod` (@authenticated): the member themself only, like the wallet. */
export async function memberDefaultMethod(ctx: PaymentsContext, member: EntityRef): Promise<DefaultPaymentMethodModel | null> {
  const callerId = memberActing(ctx, null, "see a default payment method");
  if (!isId(member.id) || member.id.toLowerCase() !== callerId) throw forbidden("Only the member themself may see their default payment method.");
  return ctx.prisma.defaultPaymentMethod.findUnique({ where: { memberId: callerId } });
}
