import type { Connection, UserError } from "@o2o/runtime";
import type { ServiceOfferingModel, ServiceOrderModel, ServiceRateModel } from "../generated/prisma/models.ts";
import type { SlotParent } from "../parents.ts";

/** Shapes the service-centre resolvers receive (codegen mappers). */

/** A store's rate with its catalogue entry (one join, no per-rate lookup). */
export type ServiceRateParent = ServiceRateModel & { offering: ServiceOfferingModel };

/** A drop-off slot: the store's counter window, `booked` counting non-cancelled service orders in it. */
export type ServiceSlotParent = SlotParent;

/** A service order's latest requote (the columns of the order it belongs to). */
export interface ServiceQuoteParent {
  amount: number;
  currency: string;
  reason: string;
  status: "PENDING" | "ACCEPTED" | "DECLINED";
  quotedAt: Date;
  decidedAt: Date | null;
}

export type ServiceOrderConnectionParent = Connection<ServiceOrderModel>;
export type ServiceOrderEdgeParent = ServiceOrderConnectionParent["edges"][number];

/** What the service-order mutations answer: the order (loaded by the payload resolver) and why not. */
export interface ServiceOrderResult {
  serviceOrderId: string | null;
  userErrors: UserError[];
}
