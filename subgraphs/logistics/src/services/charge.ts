import { forbidden, isId, isService, type Caller } from "@o2o/runtime";
import type { LogisticsContext } from "../context.ts";
import type { ServiceOrderModel } from "../generated/prisma/models.ts";
// The internal answer to payments: the SDL's ServiceOrderCharge, as generated.
import type { ServiceOrderCharge as ServiceCharge } from "../generated/graphql.ts";
import type { Tx } from "./steps.ts";

/**
 * Paying a service order goes through payments: `checkoutServiceOrder` links a payments order here
 * (`linkServiceCharge`), the member pays it with `payOrder`, and payments' events move `paymentState`:
 * payment.authorized → AUTHORIZED, payment.captured → PAID, order.cancelled → UNPAID (link dropped), order.refunded → REFUNDED.
 */

const refusal = (code: string, message: string, orderId: string | null = null): ServiceCharge => ({
  ok: false,
  code,
  message,
  memberId: null,
  storeId: null,
  description: null,
  amount: null,
  currency: null,
  orderId,
});

/** Only payments calls it (the supergraph hides it; this guards direct calls). */
function requirePayments(caller: Caller): void {
  if (!isService(caller, "payments")) throw forbidden("Only the payments service charges service orders.");
}

/**
 * Checks that the member's service order may be charged now and links `orderId` to it (one open payments order per
 * service order). The price is final once work has started (a requote is only made before): IN_PROGRESS or READY.
 * Linking the same order again answers the same (a retried checkout).
 */
export async function linkServiceCharge(ctx: LogisticsContext, serviceOrderId: string, memberId: string, orderId: string): Promise<ServiceCharge> {
  requirePayments(ctx.caller);
  if (![serviceOrderId, memberId, orderId].every(isId)) return refusal("SERVICE_ORDER_NOT_FOUND", "No service order of yours has that id.");
  const order = orderId.toLowerCase();
  const o = await ctx.prisma.serviceOrder.findUnique({ where: { id: serviceOrderId.toLowerCase() }, include: { offering: true } });
  if (!o || o.memberId !== memberId.toLowerCase()) return refusal("SERVICE_ORDER_NOT_FOUND", "No service order of yours has that id.");
  if (o.paymentOrderId === order) return charge(o, o.offering.name);
  const problem = chargeProblem(o);
  if (problem) return problem;
  const linked = await ctx.prisma.serviceOrder.updateMany({
    where: { id: o.id, paymentState: "UNPAID", paymentOrderId: null, status: { in: ["IN_PROGRESS", "READY"] } },
    data: { paymentState: "CHECKED_OUT", paymentOrderId: order },
  });
  if (linked.count !== 1) return linkServiceCharge(ctx, serviceOrderId, memberId, orderId);
  return charge({ ...o, paymentOrderId: order }, o.offering.name);
}

function chargeProblem(o: ServiceOrderModel): ServiceCharge | null {
  if (o.paymentState === "PAID" || o.paymentState === "AUTHORIZED") return refusal("ALREADY_PAID", "This service order is paid already.", o.paymentOrderId);
  if (o.paymentState === "CHECKED_OUT") return refusal("ALREADY_CHECKED_OUT", `An order awaits payment for it already (${o.paymentOrderId}): pay that one, or cancel it first.`, o.paymentOrderId);
  if (o.paymentState === "REFUNDED") return refusal("SERVICE_ORDER_NOT_PAYABLE", "This service order was refunded.", o.paymentOrderId);
  if (o.status === "BOOKED" || o.status === "RECEIVED") {
    return refusal("PRICE_NOT_FINAL", `The service order is ${o.status}: it is paid once work has started and its price is final.`);
  }
  if (o.status !== "IN_PROGRESS" && o.status !== "READY") return refusal("SERVICE_ORDER_NOT_PAYABLE", `The service order is ${o.status}; there is nothing to pay.`);
  return null;
}

const charge = (o: ServiceOrderModel, name: string): ServiceCharge => ({
  ok: true,
  code: null,
  message: null,
  memberId: o.memberId,
  storeId: o.storeId,
  description: `${name}: ${o.description}${o.atYourDoor ? " (at your door)" : ""}`.slice(0, 500),
  amount: o.priceAmount + o.doorFeeAmount,
  currency: o.currency,
  orderId: o.paymentOrderId,
});

/** payment.authorized: the linked order's money is held. */
export const serviceAuthorized = (tx: Tx, orderId: string) =>
  tx.serviceOrder.updateMany({ where: { paymentOrderId: orderId, paymentState: "CHECKED_OUT" }, data: { paymentState: "AUTHORIZED" } });

/** payment.captured: the linked order is paid (from checked out or authorised). */
export const servicePaid = (tx: Tx, orderId: string) =>
  tx.serviceOrder.updateMany({ where: { paymentOrderId: orderId, paymentState: { in: ["CHECKED_OUT", "AUTHORIZED"] } }, data: { paymentState: "PAID" } });

/** order.cancelled: an unpaid (or only authorised) charge is dropped; the member may check out again. */
export const serviceChargeCancelled = (tx: Tx, orderId: string) =>
  tx.serviceOrder.updateMany({ where: { paymentOrderId: orderId, paymentState: { in: ["CHECKED_OUT", "AUTHORIZED"] } }, data: { paymentState: "UNPAID", paymentOrderId: null } });

/** order.refunded: the money went back. */
export const serviceRefunded = (tx: Tx, orderId: string) =>
  tx.serviceOrder.updateMany({ where: { paymentOrderId: orderId, paymentState: "PAID" }, data: { paymentState: "REFUNDED" } });
