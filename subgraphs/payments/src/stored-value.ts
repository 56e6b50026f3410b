import { refuse } from "@o2o/runtime";
import { createHmac, randomInt } from "node:crypto";
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import type { StoredValueAccountModel } from "./generated/prisma/models.ts";

/**
 * Stored value: each member's wallet balance and the prepaid cards bound to it. Balances only move
 * through conditional UPDATEs (`balance >= amount`), backed by a CHECK (balance >= 0): concurrent
 * payments can never overdraw an account.
 */
type Tx = Prisma.TransactionClient;

const secret = () => process.env.O2O_PII_SECRET ?? "o2o-dev-card-secret";
/** Card numbers and PINs are never stored, only keyed hashes of them. */
export const cardHash = (value: string) => createHmac("sha256", secret()).update(value.replace(/\s|-/g, "")).digest("base64url");

/** Takes `amount` from an account of `memberId`, or refuses with INSUFFICIENT_BALANCE / UNKNOWN_PREPAID_CARD. */
export async function debit(tx: Tx, account: StoredValueAccountModel | null, memberId: string, amount: number, currency: string, field: (string | number)[]): Promise<void> {
  if (!account || account.memberId !== memberId) refuse("UNKNOWN_PREPAID_CARD", "No such card in your wallet.", field);
  if (account!.currency !== currency) refuse("CURRENCY_MISMATCH", `This card holds ${account!.currency}, the order is in ${currency}.`, field);
  const taken = await tx.storedValueAccount.updateMany({ where: { id: account!.id, balance: { gte: amount } }, data: { balance: { decrement: amount } } });
  if (taken.count !== 1) refuse("INSUFFICIENT_BALANCE", `The balance (${account!.balance}) does not cover ${amount}.`, field);
}

export async function credit(tx: Tx, accountId: string, amount: number): Promise<void> {
  await tx.storedValueAccount.update({ where: { id: accountId }, data: { balance: { increment: amount } } });
}

/** The member's wallet account, created empty on first use. */
export async function walletAccount(db: Tx | PrismaClient, memberId: string): Promise<StoredValueAccountModel> {
  const existing = await db.storedValueAccount.findFirst({ where: { memberId, kind: "WALLET" } });
  if (existing) return existing;
  await db.$executeRawUnsafe(
    `INSERT INTO "payments"."stored_value_account" (id, kind, member_id, currency, balance) VALUES ($1::uuid, 'WALLET', $2::uuid, 'JPY', 0) ON CONFLICT DO NOTHING`,
    randomUUID(),
    memberId,
  );
  return (await db.storedValueAccount.findFirst({ where: { memberId, kind: "WALLET" } }))!;
}

export interface IssuedCard {
  accountId: string;
  number: string;
  pin: string;
}

/** A new prepaid card: 16 random digits, a 4-digit PIN; only their hashes are kept. */
export async function issueCard(tx: Tx, issuerRetailerId: string | null, amount: number): Promise<IssuedCard> {
  const number = Array.from({ length: 16 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join("");
  const pin = String(randomInt(0, 10_000)).padStart(4, "0");
  const accountId = randomUUID();
  await tx.storedValueAccount.create({
    data: { id: accountId, kind: "PREPAID_CARD", issuerRetailerId, currency: "JPY", balance: amount, numberHash: cardHash(number), last4: number.slice(-4), pinHash: cardHash(`${number}:${pin}`) },
  });
  return { accountId, number, pin };
}

/** Binds an unbound card to the member's wallet; a wrong number or PIN gets the same answer (no oracle). */
export async function bindCard(tx: Tx, memberId: string, number: string, pin: string): Promise<void> {
  const card = await tx.storedValueAccount.findUnique({ where: { numberHash: cardHash(number) } });
  if (!card || card.pinHash !== cardHash(`${number.replace(/\s|-/g, "")}:${pin}`)) refuse("CARD_NOT_FOUND", "No prepaid card matches this number and PIN.", ["input"]);
  if (card!.memberId === memberId) refuse("CARD_ALREADY_BOUND", "This card is already in your wallet.", ["input", "number"]);
  const bound = await tx.storedValueAccount.updateMany({ where: { id: card!.id, memberId: null }, data: { memberId, boundAt: new Date() } });
  if (bound.count !== 1) refuse("CARD_ALREADY_BOUND", "This card is bound to another wallet.", ["input", "number"]);
}
