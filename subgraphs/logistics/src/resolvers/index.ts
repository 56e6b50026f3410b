import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Fulfillment, FulfillmentPayload, PickupSlot } from "./fulfillment.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Order } from "./order.ts";
import { Store } from "./store.ts";
import { fulfillmentQueue } from "../queue.ts";
import { serviceMutationFields, serviceQueryFields, serviceStoreFields, serviceTypes } from "./service-order.ts";

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: { ...Query, ...serviceQueryFields },
  Mutation: { ...Mutation, ...serviceMutationFields },
  // fulfillmentQueue: a shop as a pickup hub (issue 6, queue.ts).
  Store: { ...Store, ...serviceStoreFields, fulfillmentQueue: (store, args, ctx) => fulfillmentQueue(ctx, store, args) },
  Order,
  Fulfillment,
  FulfillmentPayload,
  PickupSlot,
  ...serviceTypes,
};
