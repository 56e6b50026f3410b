import type { PartnerMembershipResolvers } from "../generated/graphql.ts";
import { maskMemberNumber } from "../loyalty.ts";

export const PartnerMembership: PartnerMembershipResolvers = {
  // A reference stub: the gateway asks stores for the retailer's fields.
  retailer: (membership) => ({ id: membership.retailerId }),
  memberNumber: (membership) => maskMemberNumber(membership.memberNumber),
};
