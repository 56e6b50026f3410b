import { apiKeyCacheKey, codedError, ErrorCode, hashApiKey, logger, type ApiKeyCredential, type Cache, type Peers } from "@o2o/runtime";

/**
 * Looks up a presented API key: by its SHA-256, in the shared cache (Redis when configured, so every
 * gateway replica shares one entry) or else from the stores subgraph, which owns the keys. Entries live
 * `FOUND_TTL` seconds; stores deletes the entry when a key is revoked or rotated, so a revocation is seen
 * by every replica on its next request (the TTL bounds it if that delete is ever lost). Unknown hashes
 * are remembered briefly too, so guessing keys does not turn into a flood of lookups.
 */
export const FOUND_TTL_SECONDS = 10;
export const UNKNOWN_TTL_SECONDS = 5;

const LOOKUP = `query($h: String!) { apiKeyCredential(secretHash: $h) { id prefix retailerId storeId scopes tier safelistOnly expiresAt revoked } }`;

export interface CredentialLookup {
  (presentedKey: string): Promise<ApiKeyCredential | null>;
}

export function credentialLookup(peers: Peers, cache: Cache): CredentialLookup {
  return async (presented) => {
    const hash = hashApiKey(presented);
    const cached = await cache.get(apiKeyCacheKey(hash));
    if (cached !== null) return JSON.parse(cached) as ApiKeyCredential | null;
    let credential: ApiKeyCredential | null;
    try {
      credential = (await peers.call<{ apiKeyCredential: ApiKeyCredential | null }>("stores", LOOKUP, { h: hash })).apiKeyCredential;
    } catch (err) {
      logger.error({ err: (err as Error).message }, "API key lookup failed");
      throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "API keys cannot be checked right now; try again shortly.", { serviceName: "stores", http: { status: 503 } });
    }
    await cache.set(apiKeyCacheKey(hash), JSON.stringify(credential), credential ? FOUND_TTL_SECONDS : UNKNOWN_TTL_SECONDS);
    return credential;
  };
}
