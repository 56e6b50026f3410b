import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ANONYMOUS, codedError, ErrorCode, type Caller } from "@o2o/runtime";

/**
 * Stage 1 of a request: who is calling. Members send `Authorization: Bearer mt_…` (a short-lived
 * member token signed by the platform); everyone else is anonymous until API keys arrive.
 * A token that is present but bad is refused outright (401), never silently downgraded.
 */
const TOKEN_PREFIX = "mt_";
export const DEFAULT_MEMBER_TOKEN_TTL_SECONDS = 60 * 60;

let generatedSecret: string | undefined;

/** O2O_MEMBER_TOKEN_SECRET, or a random per-process secret for the embedded all-in-one start. */
export function memberTokenSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.O2O_MEMBER_TOKEN_SECRET) return env.O2O_MEMBER_TOKEN_SECRET;
  generatedSecret ??= randomBytes(32).toString("base64url");
  return generatedSecret;
}

const sign = (payload: string, secret: string) => createHmac("sha256", secret).update(`member:${payload}`).digest("base64url");

export function signMemberToken(memberId: string, ttlSeconds = DEFAULT_MEMBER_TOKEN_TTL_SECONDS, secret = memberTokenSecret(), now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ sub: memberId, exp: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${TOKEN_PREFIX}${payload}.${sign(payload, secret)}`;
}

/** The member id inside a valid, unexpired token; null otherwise. */
export function verifyMemberToken(token: string, secret = memberTokenSecret(), now = Date.now()): string | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [payload, signature] = token.slice(TOKEN_PREFIX.length).split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { sub, exp } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; exp?: unknown };
    if (typeof sub !== "string" || typeof exp !== "number" || exp * 1000 < now) return null;
    return sub;
  } catch {
    return null;
  }
}

export function authenticate(req: IncomingMessage): Caller {
  const header = req.headers.authorization;
  if (!header) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const memberId = match ? verifyMemberToken(match[1]!) : null;
  if (!memberId) {
    throw codedError(ErrorCode.UNAUTHENTICATED, "The Authorization header holds no valid, unexpired member token.", { http: { status: 401 } });
  }
  return { ...ANONYMOUS, memberId };
}
