import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("MembersContext", {
  Member: "./prisma/models.ts#MemberModel",
  PointsLedgerEntry: "./prisma/models.ts#PointsLedgerEntryModel",
  PartnerMembership: "./prisma/models.ts#PartnerMembershipModel",
  Identity: "./prisma/models.ts#MemberIdentityModel",
  RegisterPassportPayload: "../identity.ts#RegisterResult",
  LinkPartnerMembershipPayload: "../clubs.ts#LinkResult",
  AdjustPointsPayload: "../spending.ts#AdjustResult",
  PointsRedemption: "../spending.ts#Redemption",
});
