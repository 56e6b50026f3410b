import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from schema.graphql; parents are Prisma's models (mappers).
const config: CodegenConfig = {
  schema: "schema.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#MembersContext",
        scalars: { DateTime: "Date" },
        mappers: {
          Member: "./prisma/models.ts#MemberModel",
          PointsLedgerEntry: "./prisma/models.ts#PointsLedgerEntryModel",
          PartnerMembership: "./prisma/models.ts#PartnerMembershipModel",
        },
      },
    },
  },
};
export default config;
