import type { EventEffect } from "@o2o/runtime";
import { award, restoreRedemption, reverse, type Captured } from "./awards.ts";
import type { Prisma } from "./generated/prisma/client.ts";

type Effect = EventEffect<Prisma.TransactionClient>;

/** Members' reactions to payments' events (schema/commerce-flows.md), each applied once. */
export const effects: Record<string, Effect> = {
  "payment.captured": (tx, e) => award(tx, e.payload as unknown as Captured),
  "order.refunded": (tx, e) => reverse(tx, e.payload as { orderId: string; memberId: string; pointsRedeemed?: number }),
  "payment.voided": (tx, e) => restoreRedemption(tx, e.payload as { orderId: string; memberId: string; redemptionKey: string }),
};
