import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Fulfillment, FulfillmentPayload, PickupSlot } from "./fulfillment.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Order } from "./order.ts";
import { Store } from "./store.ts";

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, Store, Order, Fulfillment, FulfillmentPayload, PickupSlot };
