import { createHmac, randomUUID } from "node:crypto";
import { DEMO_RETAILERS, demoRetailerId, isId, seedId, unauthenticated } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { addEntry } from "./points.ts";
import { userError, type UserError } from "./user-errors.ts";

/**
 * Merged loyalty: a member links a partner club card; its balance moves into the one O2O balance as a
 * PARTNER_TRANSFER entry whose source is the retailer, and the card is spent (it cannot be merged twice).
 */
const pinHash = (accountId: string, pin: string) => createHmac("sha256", process.env.O2O_PII_SECRET ?? "o2o-dev-pii-secret").update(`${accountId}:${pin}`).digest("base64url");

export type LinkResult = { membershipId: string | null; memberId: string | null; userErrors: UserError[] };
const no = (e: UserError): LinkResult => ({ membershipId: null, memberId: null, userErrors: [e] });
const NOT_FOUND = userError("CLUB_CARD_NOT_FOUND", "No card of that club matches this number and PIN.", ["input"]);

export async function linkPartnerMembership(ctx: MembersContext, input: { retailerId: string; memberNumber: string; pin: string }): Promise<LinkResult> {
  const memberId = ctx.caller.memberId?.toLowerCase();
  if (!memberId) throw unauthenticated("Sign in as a member to link a club card.");
  if (!isId(input.retailerId)) return no(NOT_FOUND);
  const retailerId = input.retailerId.toLowerCase();
  const card = await ctx.prisma.partnerClubAccount.findUnique({ where: { retailerId_memberNumber: { retailerId, memberNumber: input.memberNumber.trim() } } });
  // A wrong number and a wrong PIN get the same answer: no way to probe for card numbers.
  if (!card || card.pinHash !== pinHash(card.id, input.pin)) return no(NOT_FOUND);
  if (card.linkedMemberId) return no(userError("ALREADY_LINKED", "This card is already merged into an account.", ["input", "memberNumber"]));
  if (await ctx.prisma.partnerMembership.findUnique({ where: { memberId_retailerId: { memberId, retailerId } } })) {
    return no(userError("ALREADY_MEMBER_OF_CLUB", "Your account already holds a card of this club.", ["input", "retailerId"]));
  }
  const membershipId = randomUUID();
  const linked = await ctx.prisma.$transaction(async (tx) => {
    const taken = await tx.partnerClubAccount.updateMany({ where: { id: card.id, linkedMemberId: null }, data: { linkedMemberId: memberId, linkedAt: new Date() } });
    if (taken.count !== 1) return false;
    await tx.partnerMembership.create({ data: { id: membershipId, memberId, retailerId, clubName: card.clubName, memberNumber: card.memberNumber, linkedAt: new Date() } });
    if (card.pointsBalance > 0) {
      await addEntry(tx, { memberId, points: card.pointsBalance, reason: "PARTNER_TRANSFER", description: `${card.clubName} balance merged into O2O Rewards`, sourceRetailerId: retailerId, key: `club:${card.id}` });
    }
    return true;
  });
  return linked ? { membershipId, memberId, userErrors: [] } : no(userError("ALREADY_LINKED", "This card is already merged into an account.", ["input", "memberNumber"]));
}

/** Unmerged demo club cards (number, PIN, balance) for the sandbox; listed in the README. */
export const DEMO_CLUB_CARDS = [
  { retailer: "meridian", number: "MC-2026-5001", pin: "5001", points: 2400 },
  { retailer: "meridian", number: "MC-2026-5002", pin: "5002", points: 150 },
  { retailer: "freshway", number: "FW-2026-6001", pin: "6001", points: 900 },
] as const;

export async function seedClubCards(prisma: PrismaClient): Promise<void> {
  await prisma.partnerClubAccount.createMany({
    data: DEMO_CLUB_CARDS.map((c) => {
      const id = seedId("partner-club-account", c.number);
      const club = DEMO_RETAILERS.find((r) => r.key === c.retailer)!.club!;
      return { id, retailerId: demoRetailerId(c.retailer), clubName: club, memberNumber: c.number, pinHash: pinHash(id, c.pin), pointsBalance: c.points };
    }),
    skipDuplicates: true,
  });
}
