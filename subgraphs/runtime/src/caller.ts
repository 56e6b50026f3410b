import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Who is calling, as established by the gateway. Subgraphs never authenticate callers themselves:
 * they trust this record only when it arrives in a header signed with the shared secret.
 */
export interface Caller {
  /** API key id (not the secret) when the caller used a key. */
  keyId: string | null;
  /** The partner retailer a key belongs to; null for platform staff and members. */
  retailerId: string | null;
  scopes: string[];
  /** The signed-in member, from a member token. */
  memberId: string | null;
  /**
   * A member acting through a partner's app (member token + that partner's API key): the partner retailer. Orders
   * the member places are recorded as placed through it, and its keys may then read them. Grants no scopes.
   */
  via: string | null;
  /**
   * Set when a subgraph calls a sibling for its own work (payments reserving stock at checkout):
   * the sibling's internal (`@inaccessible`) fields answer only such callers.
   */
  service: string | null;
  /**
   * A device key bound to one store (a checkout-free gate or shelf sensor): the only store it may act at, on top of
   * its retailer binding (`keyMayActAtStore`). Null for every other caller.
   */
  storeId: string | null;
}

export const ANONYMOUS: Caller = Object.freeze({ keyId: null, retailerId: null, scopes: [], memberId: null, via: null, service: null, storeId: null }) as Caller;

export const CALLER_HEADER = "x-o2o-caller";
/** A signed caller header older than this is refused (limits replay of a captured header). */
const MAX_AGE_MS = 5 * 60_000;

let generatedSecret: string | undefined;

/**
 * The HMAC secret shared by gateway and subgraphs: O2O_CALLER_SECRET, or (embedded, all-in-one
 * process) a random one made once per process — separate processes must be given the env var.
 */
export function callerSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.O2O_CALLER_SECRET) return env.O2O_CALLER_SECRET;
  generatedSecret ??= randomBytes(32).toString("base64url");
  return generatedSecret;
}

function mac(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function signCaller(caller: Caller, secret = callerSecret(), now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...caller, iat: now })).toString("base64url");
  return `${payload}.${mac(payload, secret)}`;
}

/** Returns the caller, or null when the header is missing, forged, malformed or stale. */
export function verifyCaller(header: string | undefined, secret = callerSecret(), now = Date.now()): Caller | null {
  if (!header) return null;
  const [payload, signature] = header.split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Caller & { iat: number };
    if (typeof data.iat !== "number" || Math.abs(now - data.iat) > MAX_AGE_MS) return null;
    if (!Array.isArray(data.scopes)) return null;
    return { keyId: data.keyId ?? null, retailerId: data.retailerId ?? null, scopes: data.scopes, memberId: data.memberId ?? null, via: data.via ?? null, service: data.service ?? null, storeId: data.storeId ?? null };
  } catch {
    return null;
  }
}

/** Internal fields check this: only a sibling subgraph, never the gateway's clients, may call them. */
export function isService(caller: Caller, ...names: string[]): boolean {
  return caller.service !== null && (names.length === 0 || names.includes(caller.service));
}

