import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ANONYMOUS, codedError, ErrorCode, type Caller } from "@o2o/runtime";

/**
 * Stage 1 of a request: who is calling. Members send `Authorization: Bearer mt_…` (a short-lived
 * member token signed by the platform); store staff send `Bearer st_…` (a staff token carrying
 * scopes such as `store:operate`, and the retailer they work for). Everyone else is anonymous until
 * partner API keys arrive. A token that is present but bad is refused outright (401), never
 * silently downgraded.
 */
const MEMBER_PREFIX = "mt_";
const STAFF_PREFIX = "st_";
export const DEFAULT_MEMBER_TOKEN_TTL_SECONDS = 60 * 60;

/** Scopes staff tokens may carry: what each lets its holder do. */
export const STAFF_SCOPES = {
  "store:operate": "Mark fulfilments ready, hand them over, dispatch and confirm deliveries.",
  "loyalty:adjust": "Add or take points from a member's balance (customer service).",
  "prepaid:issue": "Issue prepaid cards of the staff member's retailer.",
  "payments:refund": "Refund any member's paid order.",
  "members:pii": "Read members' travel identities (passport data).",
} as const;
export type StaffScope = keyof typeof STAFF_SCOPES;

let generatedSecret: string | undefined;

/** O2O_MEMBER_TOKEN_SECRET, or a random per-process secret for the embedded all-in-one start. */
export function memberTokenSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.O2O_MEMBER_TOKEN_SECRET) return env.O2O_MEMBER_TOKEN_SECRET;
  generatedSecret ??= randomBytes(32).toString("base64url");
  return generatedSecret;
}

// The prefix is part of what is signed, so a member token cannot be replayed as a staff token.
const sign = (prefix: string, payload: string, secret: string) => createHmac("sha256", secret).update(`${prefix}${payload}`).digest("base64url");

function signToken(prefix: string, claims: object, ttlSeconds: number, secret: string, now: number): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${prefix}${payload}.${sign(prefix, payload, secret)}`;
}

function verifyToken(prefix: string, token: string, secret: string, now: number): Record<string, unknown> | null {
  if (!token.startsWith(prefix)) return null;
  const [payload, signature] = token.slice(prefix.length).split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(prefix, payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number" || claims.exp * 1000 < now) return null;
    return claims;
  } catch {
    return null;
  }
}

export function signMemberToken(memberId: string, ttlSeconds = DEFAULT_MEMBER_TOKEN_TTL_SECONDS, secret = memberTokenSecret(), now = Date.now()): string {
  return signToken(MEMBER_PREFIX, { sub: memberId }, ttlSeconds, secret, now);
}

/** The member id inside a valid, unexpired token; null otherwise. */
export function verifyMemberToken(token: string, secret = memberTokenSecret(), now = Date.now()): string | null {
  const claims = verifyToken(MEMBER_PREFIX, token, secret, now);
  return claims ? (claims.sub as string) : null;
}

export interface StaffClaims {
  /** Who the staff member is (shown in logs). */
  staffId: string;
  scopes: StaffScope[];
  /** The retailer they work for; null for platform staff. */
  retailerId: string | null;
}

export function signStaffToken(claims: StaffClaims, ttlSeconds = DEFAULT_MEMBER_TOKEN_TTL_SECONDS, secret = memberTokenSecret(), now = Date.now()): string {
  return signToken(STAFF_PREFIX, { sub: claims.staffId, scopes: claims.scopes, retailerId: claims.retailerId }, ttlSeconds, secret, now);
}

export function verifyStaffToken(token: string, secret = memberTokenSecret(), now = Date.now()): StaffClaims | null {
  const claims = verifyToken(STAFF_PREFIX, token, secret, now);
  if (!claims || !Array.isArray(claims.scopes)) return null;
  const scopes = claims.scopes.filter((s): s is StaffScope => typeof s === "string" && s in STAFF_SCOPES);
  return { staffId: claims.sub as string, scopes, retailerId: typeof claims.retailerId === "string" ? claims.retailerId : null };
}

export function authenticate(req: IncomingMessage): Caller {
  const header = req.headers.authorization;
  if (!header) return ANONYMOUS;
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
  const memberId = verifyMemberToken(token);
  if (memberId) return { ...ANONYMOUS, memberId };
  const staff = verifyStaffToken(token);
  if (staff) return { ...ANONYMOUS, scopes: staff.scopes, retailerId: staff.retailerId };
  throw codedError(ErrorCode.UNAUTHENTICATED, "The Authorization header holds no valid, unexpired member or staff token.", { http: { status: 401 } });
}
