import type { QueryResolvers } from "../generated/graphql.ts";
import { findMember } from "../club-access.ts";
import { findMe } from "../loyalty.ts";

export const Query: QueryResolvers = {
  me: (_, __, ctx) => findMe(ctx),
  member: (_, { id }, ctx) => findMember(ctx, id),
};
