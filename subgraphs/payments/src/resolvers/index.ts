import { DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Member } from "./member.ts";
import { Mutation, payloads } from "./mutation.ts";
import { Order, OrderLine } from "./order.ts";
import { Query } from "./query.ts";
import { Retailer } from "./retailer.ts";
import { checkoutFreeMutations, checkoutFreeTypes, memberDefaultPaymentMethod, orderReceipt } from "./shopping-session.ts";
import { IssuedPrepaidCard, Payment, PrepaidCard, Wallet } from "./wallet.ts";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Member, Retailer, Order, OrderLine, Payment, Wallet, PrepaidCard, IssuedPrepaidCard, ...payloads };

// Checkout-free stores (resolvers/shopping-session.ts) add their mutations, types and Member/Order fields.
Object.assign(resolvers, checkoutFreeTypes, {
  Mutation: { ...resolvers.Mutation, ...checkoutFreeMutations },
  Member: { ...resolvers.Member, ...memberDefaultPaymentMethod },
  Order: { ...resolvers.Order, ...orderReceipt },
});
