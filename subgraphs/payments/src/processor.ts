import { refuse } from "@o2o/runtime";
import { randomBytes } from "node:crypto";
import type { Prisma } from "./generated/prisma/client.ts";

/**
 * The simulated card processor (the "processor inside the payments subgraph"): a charge is
 * authorised (or declined, by token), then captured, voided or refunded, the way a sandbox processor behaves.
 * Its records live in `processor_charge` and are written in the caller's transaction, so a payment that fails
 * later in the same transaction leaves no charge behind.
 */
const APPROVED = new Set(["tok_visa", "tok_mastercard", "tok_jcb", "tok_amex"]);
const DECLINED = new Set(["tok_declined", "tok_insufficient_funds", "tok_expired"]);

type Tx = Prisma.TransactionClient;

/** Holds `amount` on the card; returns the charge id. */
export async function authorizeCard(tx: Tx, cardToken: string, amount: number, currency: string, field: (string | number)[]): Promise<string> {
  if (DECLINED.has(cardToken)) refuse("CARD_DECLINED", "The card was declined; try another card or method.", field);
  if (!APPROVED.has(cardToken)) refuse("INVALID_CARD_TOKEN", "Unknown card token (use tok_visa, tok_mastercard, tok_jcb or tok_amex; tok_declined to see a decline).", field);
  const id = `ch_${randomBytes(12).toString("hex")}`;
  await tx.processorCharge.create({ data: { id, cardToken, amount, currency, status: "AUTHORIZED" } });
  return id;
}

const settle = (status: "CAPTURED" | "VOIDED" | "REFUNDED") => async (tx: Tx, chargeId: string) => {
  await tx.processorCharge.update({ where: { id: chargeId }, data: { status } });
};
export const captureCharge = settle("CAPTURED");
export const voidCharge = settle("VOIDED");
export const refundCharge = settle("REFUNDED");

/** Authorise and capture at once. */
export async function chargeCard(tx: Tx, cardToken: string, amount: number, currency: string, field: (string | number)[]): Promise<string> {
  const id = await authorizeCard(tx, cardToken, amount, currency, field);
  await captureCharge(tx, id);
  return id;
}
