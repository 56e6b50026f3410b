import { DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Member } from "./member.ts";
import { Mutation, payloads } from "./mutation.ts";
import { Order, OrderLine } from "./order.ts";
import { Query } from "./query.ts";
import { Retailer } from "./retailer.ts";
import { IssuedPrepaidCard, Payment, PrepaidCard, Wallet } from "./wallet.ts";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Member, Retailer, Order, OrderLine, Payment, Wallet, PrepaidCard, IssuedPrepaidCard, ...payloads };
