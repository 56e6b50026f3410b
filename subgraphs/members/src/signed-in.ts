import { forbidden, isId, unauthenticated, userError, type UserError } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";

/**
 * The member a public mutation acts for (`@authenticated`, members only): the signed caller's own id. Anonymous
 * callers get UNAUTHENTICATED, API keys and services FORBIDDEN (they are signed in, but act for no member); a
 * signed id that names no member (deleted, or not a UUID) is a userError, never a database error.
 */
export async function signedInMember(ctx: MembersContext, action: string): Promise<{ memberId: string } | { error: UserError }> {
  const id = ctx.caller.memberId;
  if (!id && (ctx.caller.keyId !== null || ctx.caller.service !== null)) throw forbidden(`Only a signed-in member may ${action}; API keys cannot.`);
  if (!id) throw unauthenticated(`Sign in as a member to ${action}.`);
  // Not the request's DataLoader: it would cache the row as it was before the mutation for the payload to read.
  const member = isId(id) ? await ctx.prisma.member.findUnique({ where: { id: id.toLowerCase() }, select: { id: true } }) : null;
  return member ? { memberId: member.id } : { error: userError("UNKNOWN_MEMBER", "The signed-in member does not exist.") };
}
