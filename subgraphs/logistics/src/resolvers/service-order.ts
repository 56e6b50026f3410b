import type { MutationResolvers, QueryResolvers, Resolvers, StoreResolvers } from "../generated/graphql.ts";
import { bookService, memberActing } from "../services/booking.ts";
import { serviceSlots, storeServices } from "../services/catalogue.ts";
import { linkServiceCharge } from "../services/charge.ts";
import { findServiceOrder, memberServiceOrders } from "../services/reads.ts";
import { acceptQuote, collect, completeLeg, declineQuote, dispatchLeg, markReady, receiveItem, requote, startWork } from "../services/steps.ts";
import { slotId } from "../slots.ts";

/** Service centres: thin resolvers over src/services/ (catalogue, booking, steps, charge, reads). */

const money = (amount: number, currency: string) => ({ amount, currency });

export const serviceStoreFields: Pick<StoreResolvers, "services" | "serviceSlots"> = {
  services: (store, _, ctx) => storeServices(ctx, store),
  serviceSlots: (store, { date }, ctx) => serviceSlots(ctx, store, date),
};

export const serviceQueryFields: Pick<QueryResolvers, "serviceOrder"> = {
  serviceOrder: (_, { id }, ctx) => findServiceOrder(ctx, id),
};

export const serviceMutationFields: Pick<
  MutationResolvers,
  | "bookService"
  | "acceptServiceQuote"
  | "declineServiceQuote"
  | "receiveServiceItem"
  | "requoteServiceOrder"
  | "startServiceWork"
  | "markServiceReady"
  | "collectServiceOrder"
  | "dispatchServiceLeg"
  | "completeServiceLeg"
  | "linkServiceCharge"
> = {
  bookService: (_, { input }, ctx) => bookService(ctx, input),
  acceptServiceQuote: (_, { serviceOrderId }, ctx) => acceptQuote(ctx, memberActing(ctx.caller, "accept a quote"), serviceOrderId),
  declineServiceQuote: (_, { serviceOrderId }, ctx) => declineQuote(ctx, memberActing(ctx.caller, "decline a quote"), serviceOrderId),
  receiveServiceItem: (_, { serviceOrderId }, ctx) => receiveItem(ctx, serviceOrderId),
  requoteServiceOrder: (_, { serviceOrderId, price, reason }, ctx) => requote(ctx, serviceOrderId, price, reason),
  startServiceWork: (_, { serviceOrderId }, ctx) => startWork(ctx, serviceOrderId),
  markServiceReady: (_, { serviceOrderId }, ctx) => markReady(ctx, serviceOrderId),
  collectServiceOrder: (_, { serviceOrderId }, ctx) => collect(ctx, serviceOrderId),
  dispatchServiceLeg: (_, { serviceOrderId, leg, note }, ctx) => dispatchLeg(ctx, serviceOrderId, leg, note ?? null),
  completeServiceLeg: (_, { serviceOrderId, leg, note }, ctx) => completeLeg(ctx, serviceOrderId, leg, note ?? null),
  linkServiceCharge: (_, { serviceOrderId, memberId, orderId }, ctx) => linkServiceCharge(ctx, serviceOrderId, memberId, orderId),
};

export const serviceTypes: Pick<Resolvers, "Member" | "ServiceQuote" | "ServiceRate" | "ServiceSlot" | "ServiceOrder" | "ServiceLeg" | "ServiceOrderPayload"> = {
  Member: {
    // Members owns Member; logistics only adds `serviceOrders`, so a reference is the representation itself.
    __resolveReference: (ref) => ({ id: ref.id }),
    serviceOrders: (member, args, ctx) => memberServiceOrders(ctx, member, args),
  },
  ServiceRate: {
    service: (rate) => rate.offering,
    price: (rate) => money(rate.priceAmount, rate.currency),
    doorFee: (rate) => (rate.atYourDoor && rate.doorFeeAmount !== null ? money(rate.doorFeeAmount, rate.currency) : null),
  },
  ServiceQuote: {
    price: (q) => money(q.amount, q.currency),
  },
  ServiceSlot: {
    id: (slot) => slotId(slot),
    capacityLeft: (slot) => Math.max(0, slot.capacity - slot.booked),
  },
  ServiceOrder: {
    member: (o) => ({ id: o.memberId }),
    // A reference stub: the gateway asks stores for the store's other fields.
    store: (o) => ({ id: o.storeId }),
    service: async (o, _, ctx) => (await ctx.loaders.serviceOfferingById.load(o.offeringId))!,
    slot: (o, _, ctx) => ctx.loaders.bookedServiceSlot.load({ storeId: o.storeId, startsAt: o.slotStartsAt, endsAt: o.slotEndsAt }),
    servicePrice: (o) => money(o.priceAmount, o.currency),
    doorFee: (o) => (o.atYourDoor ? money(o.doorFeeAmount, o.currency) : null),
    total: (o) => money(o.priceAmount + o.doorFeeAmount, o.currency),
    quote: (o) =>
      o.quoteStatus && o.quoteAmount !== null && o.quotedAt
        ? { amount: o.quoteAmount, currency: o.currency, reason: o.quoteReason ?? "", status: o.quoteStatus, quotedAt: o.quotedAt, decidedAt: o.quoteDecidedAt }
        : null,
    paymentOrder: (o) => (o.paymentOrderId ? { id: o.paymentOrderId } : null),
    legs: (o, _, ctx) => ctx.loaders.serviceLegsByOrder.load(o.id),
    events: (o, _, ctx) => ctx.loaders.serviceEventsByOrder.load(o.id),
  },
  ServiceLeg: {
    address: (leg) => leg.address as { recipient: string; line1: string; city: string; postalCode: string; country: string },
    events: (leg, _, ctx) => ctx.loaders.serviceLegEventsByLeg.load(leg.id),
  },
  ServiceOrderPayload: {
    serviceOrder: (p, _, ctx) => (p.serviceOrderId ? ctx.loaders.serviceOrderById.load(p.serviceOrderId) : null),
  },
};
