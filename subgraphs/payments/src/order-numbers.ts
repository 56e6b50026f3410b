import type { Prisma } from "./generated/prisma/client.ts";

/**
 * The human-readable number of a new order, `O2O-<yy>-<6 digits>`, from one sequence for every kind of order
 * (checkout, checkout-free, service): numbers never repeat, whichever path placed the order.
 */
export async function nextOrderNumber(tx: Prisma.TransactionClient, placedAt: Date): Promise<string> {
  const [next] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT nextval('"payments"."order_number_seq"') AS n`);
  return `O2O-${String(placedAt.getUTCFullYear()).slice(2)}-${String(next!.n).padStart(6, "0")}`;
}
