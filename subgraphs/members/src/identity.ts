import { createHmac, timingSafeEqual } from "node:crypto";
import { requireScope, userError, type UserError } from "@o2o/runtime";
import { mayReach } from "./club-access.ts";
import type { MembersContext } from "./context.ts";
import type { MemberIdentityModel, MemberModel } from "./generated/prisma/models.ts";
import { signedInMember } from "./signed-in.ts";

/**
 * Passports for tax-free shopping. Verification is simulated and immediate (a real deployment calls an
 * identity-verification provider here): well-formed number, not expired, not Japanese (tax-free is for
 * visitors). Only an HMAC of the number is stored, so a presented passport can be matched but not read back.
 */
const secret = () => process.env.O2O_PII_SECRET ?? "o2o-dev-pii-secret";
const normalize = (number: string) => number.replace(/\s/g, "").toUpperCase();
const numberHash = (number: string) => createHmac("sha256", secret()).update(normalize(number)).digest("base64url");
const JAPAN = new Set(["JP", "JPN"]);

export interface PassportInput {
  number: string;
  fullName: string;
  nationality: string;
  dateOfBirth: string;
  expiresOn: string;
}

export type RegisterResult = { memberId: string | null; userErrors: UserError[] };

const today = () => new Date().toISOString().slice(0, 10);

function passportErrors(input: PassportInput): UserError[] {
  const errors: UserError[] = [];
  if (!/^[A-Z0-9]{6,9}$/.test(normalize(input.number))) errors.push(userError("INVALID_PASSPORT_NUMBER", "A passport number is 6 to 9 letters and digits.", ["input", "number"]));
  if (!input.fullName.trim()) errors.push(userError("NAME_REQUIRED", "Give the name as printed in the passport.", ["input", "fullName"]));
  const nationality = input.nationality.trim().toUpperCase();
  if (!/^[A-Z]{2,3}$/.test(nationality)) errors.push(userError("INVALID_NATIONALITY", "nationality is an ISO 3166-1 alpha-2 or alpha-3 code.", ["input", "nationality"]));
  else if (JAPAN.has(nationality)) errors.push(userError("NOT_ELIGIBLE_FOR_TAX_FREE", "Tax-free shopping is for visitors: Japanese passports do not qualify.", ["input", "nationality"]));
  if (input.expiresOn <= today()) errors.push(userError("PASSPORT_EXPIRED", "This passport has expired.", ["input", "expiresOn"]));
  if (input.dateOfBirth >= today()) errors.push(userError("INVALID_DATE_OF_BIRTH", "dateOfBirth must be in the past.", ["input", "dateOfBirth"]));
  return errors;
}

export async function registerPassport(ctx: MembersContext, input: PassportInput): Promise<RegisterResult> {
  const signedIn = await signedInMember(ctx, "register a passport");
  if ("error" in signedIn) return { memberId: null, userErrors: [signedIn.error] };
  const { memberId } = signedIn;
  const errors = passportErrors(input);
  if (errors.length) return { memberId: null, userErrors: errors };
  const number = normalize(input.number);
  const data = {
    numberHash: numberHash(number),
    numberLast4: number.slice(-4),
    fullName: input.fullName.trim(),
    nationality: input.nationality.trim().toUpperCase(),
    dateOfBirth: new Date(`${input.dateOfBirth}T00:00:00Z`),
    expiresOn: new Date(`${input.expiresOn}T00:00:00Z`),
    verifiedAt: new Date(),
  };
  // One identity per member: registering again replaces the previous passport.
  await ctx.prisma.memberIdentity.upsert({ where: { memberId }, create: { memberId, ...data }, update: data });
  return { memberId, userErrors: [] };
}

/**
 * `Member.identity` (scope members:pii, checked here too: anonymous UNAUTHENTICATED, a caller without the scope
 * FORBIDDEN): the member themself, a platform key, or a partner key for its club's members; null for everyone else
 * (other members, other retailers' keys, services).
 */
export async function identityFor(ctx: MembersContext, member: MemberModel): Promise<MemberIdentityModel | null> {
  requireScope(ctx.caller, "members:pii");
  return (await mayReach(ctx, member.id, "members:pii")) ? ctx.loaders.identityByMemberId.load(member.id) : null;
}

export const identityStatus = (identity: MemberIdentityModel) => (identity.expiresOn.toISOString().slice(0, 10) > today() ? "VERIFIED" : "EXPIRED");

/** Internal (payments at checkout): a verified passport that has not expired is on file. */
export async function identityVerified(ctx: MembersContext, member: MemberModel): Promise<boolean> {
  const identity = await ctx.loaders.identityByMemberId.load(member.id);
  return identity !== null && identityStatus(identity) === "VERIFIED";
}

/** Internal (logistics at handover): the presented number hashes to the member's verified, unexpired passport. */
export async function passportMatches(ctx: MembersContext, member: MemberModel, number: string): Promise<boolean> {
  const identity = await ctx.loaders.identityByMemberId.load(member.id);
  return identity !== null && identityStatus(identity) === "VERIFIED" && timingSafeEqual(Buffer.from(identity.numberHash), Buffer.from(numberHash(number)));
}
