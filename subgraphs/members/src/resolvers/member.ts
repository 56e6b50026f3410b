import type { MemberResolvers } from "../generated/graphql.ts";
import { memberReference, memberships, pointsLedger } from "../loyalty.ts";
import { nextTier, tierFor } from "../tiers.ts";
import { identityFor, identityVerified, passportMatches } from "../identity.ts";
import { onlyServices } from "../internal.ts";

export const Member: MemberResolvers = {
  // The gateway resolves many members at once (e.g. the buyers of a page of orders): one batched SELECT.
  __resolveReference: (ref, ctx) => memberReference(ctx, ref.id),
  tier: (member) => tierFor(member.lifetimePoints),
  nextTier: (member) => nextTier(member.lifetimePoints),
  pointsLedger: (member, args, ctx) => pointsLedger(ctx, member, args),
  memberships: (member, _, ctx) => memberships(ctx, member),
  memberSince: (member) => member.createdAt,
  identity: (member, _, ctx) => identityFor(ctx, member),
  // Payments asks at checkout (tax-free), logistics at handover; both may ask either.
  identityVerified: (member, _, ctx) => (onlyServices(ctx, "payments", "logistics"), identityVerified(ctx, member)),
  passportMatches: (member, { number }, ctx) => (onlyServices(ctx, "payments", "logistics"), passportMatches(ctx, member, number)),
};
