import { seedId } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";

/**
 * What every way of placing an order writes the same way (checkout, checkout-free, service): its number and its
 * product lines.
 */

/** `O2O-<yy>-<6 digits>` from one sequence for every kind of order: numbers never repeat, whichever path placed it. */
export async function nextOrderNumber(tx: Prisma.TransactionClient, placedAt: Date): Promise<string> {
  const [next] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT nextval('"payments"."order_number_seq"') AS n`);
  return `O2O-${String(placedAt.getUTCFullYear()).slice(2)}-${String(next!.n).padStart(6, "0")}`;
}

export interface PricedLine {
  productId: string;
  storeId: string;
  quantity: number;
  unitPrice: number;
}

/** The order's line rows, positions from 1, ids derived from the order (a retried write makes the same rows). */
export function orderLineRows(orderId: string, lines: PricedLine[]) {
  return lines.map((l, i) => ({
    id: seedId("order-line", `${orderId}:${i + 1}`),
    position: i + 1,
    productId: l.productId,
    storeId: l.storeId,
    quantity: l.quantity,
    unitPriceAmount: l.unitPrice,
    lineTotalAmount: l.unitPrice * l.quantity,
  }));
}
