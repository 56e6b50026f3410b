import { callerSecret, isId, refuse, settle, type UserError } from "@o2o/runtime";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PaymentsContext } from "../context.ts";
import { storeFacts } from "../siblings.ts";

/**
 * Entry passes for checkout-free stores: `ep_<payload>.<mac>`, the payload binding the member, the store, the expiry
 * and a one-time nonce, HMAC-SHA256-signed with a key derived from the runtime's shared secret under its own label
 * (a pass can never pass for a caller header or anything else signed with that secret). Nothing is stored when a pass
 * is issued; the nonce is recorded when the gate opens a session with it (`shopping_session.pass_nonce`, unique).
 */
export const ENTRY_PASS_TTL_SECONDS = 120;
const PREFIX = "ep_";
const LABEL = "o2o:checkout-free:entry-pass:v1";

const passKey = (secret = callerSecret()) => createHmac("sha256", secret).update(LABEL).digest();
const mac = (payload: string, secret?: string) => createHmac("sha256", passKey(secret)).update(`${PREFIX}${payload}`).digest("base64url");

export interface EntryPassClaims {
  memberId: string;
  storeId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  nonce: string;
}

export function signEntryPass(claims: EntryPassClaims, secret?: string): string {
  const payload = Buffer.from(JSON.stringify({ m: claims.memberId, s: claims.storeId, exp: claims.expiresAt, n: claims.nonce })).toString("base64url");
  return `${PREFIX}${payload}.${mac(payload, secret)}`;
}

/** The claims of a pass signed here, or a refusal: PASS_INVALID (forged, altered, malformed) or PASS_EXPIRED. */
export function verifyEntryPass(token: string, now = Date.now(), secret?: string): EntryPassClaims {
  const field = ["input", "pass"];
  const invalid = () => refuse("PASS_INVALID", "This entry pass is not valid; open the app and show a fresh one.", field);
  if (typeof token !== "string" || token.length > 1000 || !token.startsWith(PREFIX)) return invalid();
  const [payload, signature, extra] = token.slice(PREFIX.length).split(".");
  if (!payload || !signature || extra !== undefined) return invalid();
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return invalid();
  let data: { m?: unknown; s?: unknown; exp?: unknown; n?: unknown };
  try {
    data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return invalid();
  }
  if (typeof data.m !== "string" || !isId(data.m) || typeof data.s !== "string" || !isId(data.s) || typeof data.exp !== "number" || typeof data.n !== "string" || !data.n) return invalid();
  if (data.exp <= now) refuse("PASS_EXPIRED", "This entry pass has expired; open the app and show a fresh one.", field);
  return { memberId: data.m, storeId: data.s, expiresAt: data.exp, nonce: data.n };
}

export interface EntryPassParent {
  token: string;
  expiresAt: string;
  storeId: string;
}
export type EntryPassResult = { pass: EntryPassParent | null; userErrors: UserError[] };

/**
 * `issueEntryPass` for the signed-in member: the store must exist (UNKNOWN_STORE) and be CHECKOUT_FREE
 * (STORE_NOT_CHECKOUT_FREE); the member needs a default payment method (NO_PAYMENT_METHOD), since walking out charges it.
 */
export function issueEntryPass(ctx: PaymentsContext, memberId: string, storeId: string, now = Date.now()): Promise<EntryPassResult> {
  return settle<EntryPassResult>(
    async () => {
      const field = ["storeId"];
      if (!isId(storeId)) refuse("UNKNOWN_STORE", "No store has that id.", field);
      const [store] = await storeFacts(ctx.peers, [storeId.toLowerCase()]);
      if (!store) refuse("UNKNOWN_STORE", "No store has that id.", field);
      if (!store!.capabilities.includes("CHECKOUT_FREE")) refuse("STORE_NOT_CHECKOUT_FREE", "This store has checkouts; entry passes are for checkout-free stores.", field);
      const method = await ctx.prisma.defaultPaymentMethod.findUnique({ where: { memberId } });
      if (!method) refuse("NO_PAYMENT_METHOD", "Save a default payment method (setDefaultPaymentMethod) first: it is charged when you walk out.", null);
      const expiresAt = now + ENTRY_PASS_TTL_SECONDS * 1000;
      const token = signEntryPass({ memberId, storeId: store!.id.toLowerCase(), expiresAt, nonce: randomBytes(16).toString("base64url") });
      return { pass: { token, expiresAt: new Date(expiresAt).toISOString(), storeId: store!.id.toLowerCase() }, userErrors: [] };
    },
    (userErrors) => ({ pass: null, userErrors }),
  );
}
