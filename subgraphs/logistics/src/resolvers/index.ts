import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Fulfillment, PickupSlot } from "./fulfillment.ts";
import { Order } from "./order.ts";
import { Store } from "./store.ts";

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Store, Order, Fulfillment, PickupSlot };
