import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ANONYMOUS, API_KEY_PATTERN, apiKeyPrefixOf, codedError, ErrorCode, logger, MEMBER_SCOPES, type ApiKeyCredential, type Caller } from "@o2o/runtime";
import type { CredentialLookup } from "./credentials.ts";
import type { TierName } from "./throttle.ts";

/**
 * Stage 1 of a request: who is calling. `Authorization: Bearer <credential>` holds either a member
 * token (`mt_…`, short-lived, signed by the platform: the member's own data) or an API key (`o2o_…`:
 * a partner retailer's or the platform's, with scopes, a rate-limit tier and maybe safelisted
 * operations only); a member using a partner's app sends the partner's key in `X-Api-Key` as well.
 * No credential: anonymous. A credential that is present but bad (unknown, revoked, expired, forged)
 * is refused outright with 401, never silently downgraded to anonymous.
 */
const MEMBER_PREFIX = "mt_";
export const DEFAULT_MEMBER_TOKEN_TTL_SECONDS = 60 * 60;

/** Who is calling, and what the later stages need to know about it. */
export interface Access {
  caller: Caller;
  /** Whose bucket the query cost is taken from: the key, the member, or the client address. */
  bucketKey: string;
  tier: TierName;
  /** Only persisted-manifest operations may run. */
  safelistOnly: boolean;
  /** How the caller is named in logs: a key's prefix, `member:<id>` or `anonymous`. Never a secret. */
  label: string;
}

let generatedSecret: string | undefined;

/** O2O_MEMBER_TOKEN_SECRET, or a random per-process secret for the embedded all-in-one start. */
export function memberTokenSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.O2O_MEMBER_TOKEN_SECRET) return env.O2O_MEMBER_TOKEN_SECRET;
  generatedSecret ??= randomBytes(32).toString("base64url");
  return generatedSecret;
}

const sign = (payload: string, secret: string) => createHmac("sha256", secret).update(`${MEMBER_PREFIX}${payload}`).digest("base64url");

export function signMemberToken(memberId: string, ttlSeconds = DEFAULT_MEMBER_TOKEN_TTL_SECONDS, secret = memberTokenSecret(), now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ sub: memberId, exp: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${MEMBER_PREFIX}${payload}.${sign(payload, secret)}`;
}

/** The member id inside a valid, unexpired token; null otherwise. */
export function verifyMemberToken(token: string, secret = memberTokenSecret(), now = Date.now()): string | null {
  if (!token.startsWith(MEMBER_PREFIX)) return null;
  const [payload, signature] = token.slice(MEMBER_PREFIX.length).split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number" || claims.exp * 1000 < now) return null;
    return claims.sub;
  } catch {
    return null;
  }
}

const refused = (message: string) => codedError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/** How callers without a key are metered: their tiers (a key carries its own), and how to find a client's address. */
export interface DefaultTiers {
  anonymousTier: TierName;
  memberTier: TierName;
  /** Proxies in front of the gateway that append to X-Forwarded-For (0: the socket's address is the client's). */
  trustedProxyHops: number;
}

/**
 * The client's address, for anonymous callers' buckets. Behind `hops` trusted proxies the client is the entry that
 * many places from the right of X-Forwarded-For (anything further left was written by the client and is not
 * trusted); with no proxies, the socket's peer. Without this, everyone behind a load balancer would share a bucket.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const socket = req.socket?.remoteAddress ?? "unknown";
  if (hops <= 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - hops] ?? chain[0] ?? socket;
}

export type Authenticate = (req: IncomingMessage) => Promise<Access>;

export const authenticator =
  (lookup: CredentialLookup, tiers: DefaultTiers): Authenticate =>
  (req) =>
    authenticate(req, lookup, tiers);

/**
 * `Authorization: Bearer mt_…` (a member), `Bearer o2o_…` (an API key), or both at once: a member token in
 * Authorization and the partner's key in `X-Api-Key` — the member using a partner's app (a travel agency booking
 * pickups). Then the caller is the member (member scopes, their own data), `via` the partner's retailer, and the
 * partner's key pays the rate limit; the key must be a partner key holding `orders:write`.
 */
export async function authenticate(req: IncomingMessage, lookup: CredentialLookup, tiers: DefaultTiers, now = Date.now()): Promise<Access> {
  const header = req.headers.authorization;
  const viaHeader = req.headers["x-api-key"];
  if (!header && !viaHeader) return { caller: ANONYMOUS, bucketKey: `ip:${clientAddress(req, tiers.trustedProxyHops)}`, tier: tiers.anonymousTier, safelistOnly: false, label: "anonymous" };
  const credential = header ? (/^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "") : String(viaHeader);
  if (!credential.startsWith(MEMBER_PREFIX)) return keyAccess(await checkedKey(credential, lookup, now));
  const memberId = verifyMemberToken(credential);
  if (!memberId) throw refused("The member token is invalid or has expired; sign in again.");
  const caller = { ...ANONYMOUS, memberId, scopes: [...MEMBER_SCOPES] };
  if (!viaHeader) return { caller, bucketKey: `member:${memberId}`, tier: tiers.memberTier, safelistOnly: false, label: `member:${memberId}` };
  const key = await checkedKey(String(viaHeader), lookup, now);
  if (key.retailerId === null || !key.scopes.includes("orders:write")) {
    throw codedError(ErrorCode.FORBIDDEN, `The API key ${key.prefix} cannot act for members: that takes a partner key with the orders:write scope.`, { http: { status: 403 } });
  }
  return { ...keyAccess(key), caller: { ...caller, via: key.retailerId }, label: `member:${memberId} via ${key.prefix}` };
}

async function checkedKey(presented: string, lookup: CredentialLookup, now: number): Promise<ApiKeyCredential> {
  if (!API_KEY_PATTERN.test(presented)) throw refused("No member token or API key was recognised (`Authorization: Bearer mt_…` or `Bearer o2o_…`).");
  const key = await lookup(presented);
  const label = apiKeyPrefixOf(presented);
  const refusal = !key ? "is not known" : key.revoked ? "has been revoked" : key.expiresAt && Date.parse(key.expiresAt) <= now ? `expired at ${key.expiresAt}` : null;
  if (!key || refusal) {
    logger.info({ key: label, refusal }, "API key refused");
    throw refused(`The API key ${label} ${refusal}.`);
  }
  return key;
}

function keyAccess(key: ApiKeyCredential): Access {
  return {
    caller: { ...ANONYMOUS, keyId: key.id, retailerId: key.retailerId, scopes: key.scopes, storeId: key.storeId ?? null },
    bucketKey: `key:${key.id}`,
    tier: key.tier as TierName,
    safelistOnly: key.safelistOnly,
    label: key.prefix,
  };
}
