import type { EventEffect } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import { commit, release } from "./reservations.ts";

type Effect = EventEffect<Prisma.TransactionClient>;
const orderIdOf = (payload: Record<string, unknown>) => String(payload.orderId);

/** Stores' reactions to other subgraphs' events (schema/commerce-flows.md), each applied once. */
export const effects: Record<string, Effect> = {
  "payment.captured": (tx, e) => commit(tx, orderIdOf(e.payload)),
  "order.cancelled": async (tx, e) => void (await release(tx, orderIdOf(e.payload), "CANCELLED", ["HELD"])),
  // A refunded order's goods come back into stock, paid or not yet collected.
  "order.refunded": async (tx, e) => void (await release(tx, orderIdOf(e.payload), "REFUNDED", ["HELD", "COMMITTED"])),
};
