import { forbidden, idempotent, isId, requireScope, userError, type UserError, settle, idempotencyKeyError } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import { memberActing } from "./orders.ts";
import type { EntityRef } from "./parents.ts";
import type { StoredValueAccountModel } from "./generated/prisma/models.ts";
import { chargeCard } from "./processor.ts";
import { bindCard, credit, issueCard, walletAccount } from "./stored-value.ts";

/** Wallet and prepaid-card mutations; answers are plain JSON so idempotent replays can store them. */
export type WalletResult = { memberId: string | null; userErrors: UserError[] };
export type IssuedCardParent = { accountId: string; number: string; pin: string };
export type IssueResult = { issued: IssuedCardParent | null; userErrors: UserError[] };

export function topUpWallet(ctx: PaymentsContext, memberId: string, amount: number, cardToken: string, key: string): Promise<WalletResult> {
  const keyError = idempotencyKeyError(key);
  if (keyError) return Promise.resolve({ memberId, userErrors: [keyError] });
  if (!Number.isInteger(amount) || amount < 1 || amount > 1_000_000) return Promise.resolve({ memberId, userErrors: [userError("INVALID_AMOUNT", "Top up 1 to 1,000,000 JPY.", ["input", "amount"])] });
  return idempotent(ctx.prisma, "payments", `top-up:${memberId}`, key, { amount, cardToken }, () =>
    settle<WalletResult>(
      async () => {
        const wallet = await walletAccount(ctx.prisma, memberId);
        await ctx.prisma.$transaction(async (tx) => {
          await chargeCard(tx, cardToken, amount, "JPY", ["input", "cardToken"]);
          await credit(tx, wallet.id, amount);
        });
        return { memberId, userErrors: [] };
      },
      (userErrors) => ({ memberId, userErrors }),
    ),
  );
}

export function bindPrepaidCard(ctx: PaymentsContext, memberId: string, number: string, pin: string): Promise<WalletResult> {
  return settle<WalletResult>(
    async () => {
      await ctx.prisma.$transaction((tx) => bindCard(tx, memberId, number, pin));
      return { memberId, userErrors: [] };
    },
    (userErrors) => ({ memberId, userErrors }),
  );
}

/**
 * `issuePrepaidCard` (scope payments:write, API keys only): a partner key issues its own retailer's cards (the issuer
 * is always the key's retailer, never chosen by the caller), a platform key O2O's own (issuer null).
 */
export function issuePrepaidCard(ctx: PaymentsContext, amount: number, key: string): Promise<IssueResult> {
  requireScope(ctx.caller, "payments:write");
  if (ctx.caller.keyId === null) throw forbidden("Prepaid cards are issued with a retailer's or the platform's API key.");
  const keyError = idempotencyKeyError(key);
  if (keyError) return Promise.resolve({ issued: null, userErrors: [keyError] });
  if (!Number.isInteger(amount) || amount < 1 || amount > 100_000) return Promise.resolve({ issued: null, userErrors: [userError("INVALID_AMOUNT", "A card holds 1 to 100,000 JPY.", ["input", "amount"])] });
  const issuer = ctx.caller.retailerId;
  return idempotent(ctx.prisma, "payments", `issue:${issuer ?? "o2o"}`, key, { amount }, async () => ({
    issued: await ctx.prisma.$transaction((tx) => issueCard(tx, issuer, amount)),
    userErrors: [],
  }));
}

/**
 * `Member.wallet` (@authenticated): the member themself only. Anonymous callers are UNAUTHENTICATED; API keys (partner
 * or platform) and other members FORBIDDEN — a wallet is not a retailer's data.
 */
export function memberWallet(ctx: PaymentsContext, member: EntityRef): Promise<WalletParent> {
  const callerId = memberActing(ctx, null, "see a wallet");
  if (!isId(member.id) || member.id.toLowerCase() !== callerId) throw forbidden("Only the member themself may see their wallet.");
  return walletOf(ctx, callerId);
}

/** The wallet as resolvers see it: a member who never had money in it has an empty one (nothing is written). */
export interface WalletParent {
  balance: number;
  currency: string;
  cards: StoredValueAccountModel[];
}

export async function walletOf(ctx: PaymentsContext, memberId: string): Promise<WalletParent> {
  const accounts = await ctx.prisma.storedValueAccount.findMany({ where: { memberId }, orderBy: [{ boundAt: "asc" }, { id: "asc" }] });
  const wallet = accounts.find((a) => a.kind === "WALLET");
  return { balance: wallet?.balance ?? 0, currency: wallet?.currency ?? "JPY", cards: accounts.filter((a) => a.kind === "PREPAID_CARD") };
}
