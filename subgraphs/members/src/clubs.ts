import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { DEMO_RETAILERS, demoRetailerId, isId, seedId, userError, type UserError } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { addEntry, isUniqueViolation } from "./points.ts";
import { signedInMember } from "./signed-in.ts";

/**
 * Merged loyalty: a member links a partner club card; its balance moves into the one O2O balance as a
 * PARTNER_TRANSFER entry whose source is the retailer, and the card is spent (it cannot be merged twice).
 */
const pinHash = (accountId: string, pin: string) => createHmac("sha256", process.env.O2O_PII_SECRET ?? "o2o-dev-pii-secret").update(`${accountId}:${pin}`).digest("base64url");

export type LinkResult = { membershipId: string | null; memberId: string | null; userErrors: UserError[] };
const no = (e: UserError): LinkResult => ({ membershipId: null, memberId: null, userErrors: [e] });
const NOT_FOUND = userError("CLUB_CARD_NOT_FOUND", "No card of that club matches this number and PIN.", ["input"]);
const ALREADY_LINKED = userError("ALREADY_LINKED", "This card is already merged into an account.", ["input", "memberNumber"]);
const ALREADY_MEMBER = userError("ALREADY_MEMBER_OF_CLUB", "Your account already holds a card of this club.", ["input", "retailerId"]);

/** Thrown inside the transaction to roll it back with a userError. */
class Refused extends Error {
  constructor(readonly error: UserError) {
    super(error.code);
  }
}

/** A wrong number and a wrong PIN get the same answer, after the same work: no way to probe for card numbers. */
function pinMatches(card: { id: string; pinHash: string } | null, pin: string): boolean {
  const given = Buffer.from(pinHash(card?.id ?? "no-such-card", pin));
  const stored = Buffer.from(card?.pinHash ?? given.toString());
  return card !== null && stored.length === given.length && timingSafeEqual(stored, given);
}

export async function linkPartnerMembership(ctx: MembersContext, input: { retailerId: string; memberNumber: string; pin: string }): Promise<LinkResult> {
  const signedIn = await signedInMember(ctx, "link a club card");
  if ("error" in signedIn) return no(signedIn.error);
  const { memberId } = signedIn;
  const retailerId = isId(input.retailerId) ? input.retailerId.toLowerCase() : null;
  const card = retailerId ? await ctx.prisma.partnerClubAccount.findUnique({ where: { retailerId_memberNumber: { retailerId, memberNumber: input.memberNumber.trim() } } }) : null;
  if (!retailerId || !card || !pinMatches(card, input.pin)) return no(NOT_FOUND);
  if (card.linkedMemberId) return no(ALREADY_LINKED);
  if (await ctx.prisma.partnerMembership.findUnique({ where: { memberId_retailerId: { memberId, retailerId } } })) return no(ALREADY_MEMBER);
  const membershipId = randomUUID();
  try {
    await ctx.prisma.$transaction(async (tx) => {
      // Conditional: of two members linking one card at once, one wins; the other is ALREADY_LINKED.
      const taken = await tx.partnerClubAccount.updateMany({ where: { id: card.id, linkedMemberId: null }, data: { linkedMemberId: memberId, linkedAt: new Date(), pointsBalance: 0 } });
      if (taken.count !== 1) throw new Refused(ALREADY_LINKED);
      await tx.partnerMembership.create({ data: { id: membershipId, memberId, retailerId, clubName: card.clubName, memberNumber: card.memberNumber, linkedAt: new Date() } });
      if (card.pointsBalance > 0) {
        const entry = await addEntry(tx, { memberId, points: card.pointsBalance, reason: "PARTNER_TRANSFER", description: `${card.clubName} balance merged into O2O Rewards`, sourceRetailerId: retailerId, key: `club:${card.id}` });
        if (!entry) throw new Refused(userError("UNKNOWN_MEMBER", "The signed-in member does not exist."));
      }
    });
  } catch (error) {
    if (error instanceof Refused) return no(error.error);
    // Two cards of one club linked at once by one member: unique (member_id, retailer_id) stops the second.
    if (isUniqueViolation(error)) return no(ALREADY_MEMBER);
    throw error;
  }
  return { membershipId, memberId, userErrors: [] };
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
