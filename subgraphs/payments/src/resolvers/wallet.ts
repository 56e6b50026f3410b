import type { IssuedPrepaidCardResolvers, PaymentResolvers, PrepaidCardResolvers, WalletResolvers } from "../generated/graphql.ts";
import { money } from "../orders.ts";

export const Wallet: WalletResolvers = {
  balance: (w) => money(w.balance, w.currency),
  prepaidCards: (w) => w.cards,
};

export const PrepaidCard: PrepaidCardResolvers = {
  issuer: (card) => (card.issuerRetailerId ? { id: card.issuerRetailerId } : null),
  last4: (card) => card.last4 ?? "",
  balance: (card) => money(card.balance, card.currency),
};

export const IssuedPrepaidCard: IssuedPrepaidCardResolvers = {
  card: async (issued, _, ctx) => ctx.prisma.storedValueAccount.findUniqueOrThrow({ where: { id: issued.accountId } }),
};

export const Payment: PaymentResolvers = {
  amount: (p) => money(p.amount, p.currency),
};
