import { byKeys, groupByKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { LineDisputeModel, ShelfEventModel, ShoppingSessionModel } from "../generated/prisma/models.ts";

/** Checkout-free batchers (spread into createLoaders): one statement per kind per tick. */
export function checkoutFreeLoaders(prisma: PrismaClient) {
  return {
    sessionById: new DataLoader<string, ShoppingSessionModel | null>(async (ids) => byKeys(ids, await prisma.shoppingSession.findMany({ where: { id: { in: [...ids] } } }), (s) => s.id)),
    sessionByOrderId: new DataLoader<string, ShoppingSessionModel | null>(async (ids) =>
      byKeys(ids, await prisma.shoppingSession.findMany({ where: { orderId: { in: [...ids] } } }), (s) => s.orderId!),
    ),
    shelfEventsBySession: new DataLoader<string, ShelfEventModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.shelfEvent.findMany({ where: { sessionId: { in: [...ids] } } }), (e) => e.sessionId),
    ),
    disputesByOrderId: new DataLoader<string, LineDisputeModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.lineDispute.findMany({ where: { orderId: { in: [...ids] } }, orderBy: { createdAt: "asc" } }), (d) => d.orderId),
    ),
  };
}
