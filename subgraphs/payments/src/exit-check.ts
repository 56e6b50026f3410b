import { forbidden, keyMayActAtStore, parseId, requireScope } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { CustomerOrderModel } from "./generated/prisma/models.ts";
import { storeFacts } from "./siblings.ts";

/**
 * Scan-and-buy's exit: the gate (a device key bound to the store) or the door staff scan the order shown in the
 * member's app and see whether it is a paid sale of this store. Reads only: a receipt can be shown again.
 */
export type ExitVerdict = "PAID" | "NOT_PAID" | "OTHER_STORE" | "NOT_A_STORE_SALE" | "UNKNOWN_ORDER";

export interface ExitCheckAnswer {
  verdict: ExitVerdict;
  /** The order, only when it was sold in this store (the gate learns nothing about other stores' orders). */
  order: CustomerOrderModel | null;
  checkedAt: Date;
}

/** Orders whose goods leave the store with the member, paid in the app or on leaving. */
const STORE_SALES = new Set(["IN_STORE_SCAN", "CHECKOUT_FREE"]);

export async function exitCheck(ctx: PaymentsContext, storeId: string, orderId: string): Promise<ExitCheckAnswer> {
  requireScope(ctx.caller, "orders:read");
  if (ctx.caller.keyId === null) throw forbidden("The exit check is for the store's keys (gates, door staff), not members.");
  const store = parseId(storeId, "storeId");
  const id = parseId(orderId, "orderId");
  const [facts] = await storeFacts(ctx.peers, [store]);
  if (!facts || !keyMayActAtStore(ctx.caller, "orders:read", store, facts.retailer.id)) throw forbidden("This key may not check exits at that store.");
  const checkedAt = new Date();
  const order = await ctx.loaders.orderById.load(id);
  if (!order) return { verdict: "UNKNOWN_ORDER", order: null, checkedAt };
  if (order.attributedStoreId !== store) return { verdict: "OTHER_STORE", order: null, checkedAt };
  if (!STORE_SALES.has(order.channel)) return { verdict: "NOT_A_STORE_SALE", order, checkedAt };
  return { verdict: order.status === "COMPLETED" ? "PAID" : "NOT_PAID", order, checkedAt };
}
