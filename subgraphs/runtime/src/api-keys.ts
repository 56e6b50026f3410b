import { createHash, randomBytes } from "node:crypto";

/**
 * What an API key looks like and how it is stored: `o2o_<8 chars>_<43 chars>`. The first part (the
 * prefix, `o2o_xxxxxxxx`) names the key in logs and lists; the whole key is shown once, when it is
 * made, and only its SHA-256 is stored. A plain hash (no salt, no slow KDF) is enough: the secret part
 * is 256 random bits, so there is nothing to guess, and the hash can be looked up directly.
 */
export const API_KEY_PATTERN = /^o2o_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

export interface NewApiKeySecret {
  /** The key to hand over, once. */
  secret: string;
  prefix: string;
  hash: string;
}

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function newApiKeySecret(): NewApiKeySecret {
  const prefix = `o2o_${Array.from(randomBytes(8), (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("")}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, hash: hashApiKey(secret) };
}

export const hashApiKey = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** The loggable part of something presented as a key (never the secret part). */
export const apiKeyPrefixOf = (presented: string): string => (API_KEY_PATTERN.test(presented) ? presented.slice(0, 12) : "(malformed)");

/**
 * Where the gateway caches a key's credential (Redis when configured, so every replica shares it).
 * The stores subgraph deletes the entry when the key is revoked or rotated, so the change is seen at once.
 */
export const apiKeyCacheKey = (hash: string): string => `o2o:apikey:${hash}`;

/** What the gateway needs to know about a presented key (stores answers it; the gateway caches it). */
export interface ApiKeyCredential {
  id: string;
  prefix: string;
  retailerId: string | null;
  /** A device key bound to one store of its retailer (null: not store-bound). Absent in entries cached before it existed. */
  storeId?: string | null;
  scopes: string[];
  tier: string;
  safelistOnly: boolean;
  expiresAt: string | null;
  revoked: boolean;
}
