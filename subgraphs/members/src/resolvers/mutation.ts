import type { MembersContext } from "../context.ts";
import type { MutationResolvers, Resolvers } from "../generated/graphql.ts";
import { linkPartnerMembership } from "../clubs.ts";
import { registerPassport } from "../identity.ts";
import { onlyServices } from "../internal.ts";
import { adjustPoints, redeemPoints } from "../spending.ts";

/** Thin: the services decide; payloads resolve what they name from the stored answer. */
export const Mutation: MutationResolvers = {
  registerPassport: (_, { input }, ctx) => registerPassport(ctx, input),
  linkPartnerMembership: (_, { input }, ctx) => linkPartnerMembership(ctx, input),
  adjustPoints: (_, { input }, ctx) => adjustPoints(ctx, input),
  redeemPoints: (_, args, ctx) => {
    onlyServices(ctx, "payments");
    return redeemPoints(ctx, args.memberId, args.orderId, args.points, args.key);
  },
};

const member = (id: string | null, ctx: MembersContext) => (id ? ctx.loaders.memberById.load(id) : null);

export const payloads: Pick<Resolvers, "RegisterPassportPayload" | "LinkPartnerMembershipPayload" | "AdjustPointsPayload"> = {
  RegisterPassportPayload: { identity: (p, _, ctx) => (p.memberId ? ctx.prisma.memberIdentity.findUnique({ where: { memberId: p.memberId } }) : null) },
  LinkPartnerMembershipPayload: {
    membership: (p, _, ctx) => (p.membershipId ? ctx.prisma.partnerMembership.findUnique({ where: { id: p.membershipId } }) : null),
    member: (p, _, ctx) => member(p.memberId, ctx),
  },
  AdjustPointsPayload: {
    entry: (p, _, ctx) => (p.entryId ? ctx.prisma.pointsLedgerEntry.findUnique({ where: { id: p.entryId } }) : null),
    member: (p, _, ctx) => member(p.memberId, ctx),
  },
};
