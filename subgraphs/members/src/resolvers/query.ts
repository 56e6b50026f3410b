import type { QueryResolvers } from "../generated/graphql.ts";
import { shareableAnswer } from "@o2o/runtime";
import { findMember } from "../club-access.ts";
import { findMe } from "../loyalty.ts";

export const Query: QueryResolvers = {
  me: (_, __, ctx, info) => {
    // Null for every caller without a member: the gateway may share that answer (never a member's own).
    if (!ctx.caller.memberId) shareableAnswer(info, 300);
    return findMe(ctx);
  },
  member: (_, { id }, ctx) => findMember(ctx, id),
};
