import type { MemberResolvers } from "../generated/graphql.ts";
import { memberReference, memberships, pointsLedger } from "../loyalty.ts";
import { nextTier, tierFor } from "../tiers.ts";

export const Member: MemberResolvers = {
  // The gateway resolves many members at once (e.g. the buyers of a page of orders): one batched SELECT.
  __resolveReference: (ref, ctx) => memberReference(ctx, ref.id),
  tier: (member) => tierFor(member.lifetimePoints),
  nextTier: (member) => nextTier(member.lifetimePoints),
  pointsLedger: (member, args, ctx) => pointsLedger(ctx, member, args),
  memberships: (member, _, ctx) => memberships(ctx, member),
  memberSince: (member) => member.createdAt,
};
