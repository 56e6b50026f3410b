import { byKeys, groupByKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { MemberIdentityModel, MemberModel, PartnerMembershipModel, PointsLedgerEntryModel } from "./generated/prisma/models.ts";
import { ledgerPages, type LedgerPageKey } from "./loyalty.ts";

/** Per-request batchers: one SQL statement per kind per tick, whatever the number of members. */
export function createLoaders(prisma: PrismaClient) {
  return {
    memberById: new DataLoader<string, MemberModel | null>(async (ids) =>
      byKeys(ids, await prisma.member.findMany({ where: { id: { in: [...ids] } } }), (m) => m.id),
    ),
    membershipsByMemberId: new DataLoader<string, PartnerMembershipModel[]>(async (ids) =>
      groupByKeys(
        ids,
        await prisma.partnerMembership.findMany({ where: { memberId: { in: [...ids] } }, orderBy: [{ linkedAt: "asc" }, { id: "asc" }] }),
        (m) => m.memberId,
      ),
    ),
    /** Passports (Member.identity, identityVerified, passportMatches): one SELECT for every member of a request. */
    identityByMemberId: new DataLoader<string, MemberIdentityModel | null>(async (ids) =>
      byKeys(ids, await prisma.memberIdentity.findMany({ where: { memberId: { in: [...ids] } } }), (i) => i.memberId),
    ),
    /** One page of one member's ledger per key; all keys of a tick in one statement (see ledgerPages). */
    ledgerPage: new DataLoader<LedgerPageKey, PointsLedgerEntryModel[], string>((keys) => ledgerPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.memberId, k.take, k.after]),
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
