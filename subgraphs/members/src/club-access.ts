import { keyMayActForAnyOf, parseId, requireScope, type Scope } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";
import type { MemberModel } from "./generated/prisma/models.ts";

/**
 * What API keys may see of members: a platform key any member, a partner key only the members of its loyalty
 * club (those who linked a card of its retailer's club), looked up through the request's batched memberships.
 */
export const keyMayReach = (ctx: MembersContext, memberId: string, scope: Scope): Promise<boolean> =>
  keyMayActForAnyOf(ctx.caller, scope, async () => (await ctx.loaders.membershipsByMemberId.load(memberId)).map((m) => m.retailerId));

const isSelf = (ctx: MembersContext, memberId: string) => ctx.caller.memberId?.toLowerCase() === memberId;

/**
 * `member(id)` (scope members:read): the member themself, a platform key any member, a partner key its club's
 * members; null for anyone else and for unknown ids (no hint that they exist). A malformed id is BAD_USER_INPUT.
 */
export async function findMember(ctx: MembersContext, id: string): Promise<MemberModel | null> {
  requireScope(ctx.caller, "members:read");
  const memberId = parseId(id);
  if (!isSelf(ctx, memberId) && !(await keyMayReach(ctx, memberId, "members:read"))) return null;
  return ctx.loaders.memberById.load(memberId);
}

/** Whether the caller may see this member's `scope` data: themself (member tokens carry it) or a key that reaches them. */
export const mayReach = async (ctx: MembersContext, memberId: string, scope: Scope): Promise<boolean> =>
  (isSelf(ctx, memberId) && ctx.caller.scopes.includes(scope)) || keyMayReach(ctx, memberId, scope);
