import { DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Member } from "./member.ts";
import { Order, OrderLine } from "./order.ts";
import { Query } from "./query.ts";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Member, Order, OrderLine };
