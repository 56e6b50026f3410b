import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { Identity, PointsLedgerEntry } from "./identity.ts";
import { Member } from "./member.ts";
import { Mutation, payloads } from "./mutation.ts";
import { PartnerMembership } from "./partner-membership.ts";
import { Query } from "./query.ts";

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, Member, PartnerMembership, PointsLedgerEntry, Identity, ...payloads };
