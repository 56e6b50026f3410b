import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { ApiKeyCredential } from "@o2o/runtime";
import { authenticate } from "../src/auth.ts";

const SECRET = `o2o_abcdefgh_${"A".repeat(43)}`;
const req = { headers: { authorization: `Bearer ${SECRET}` } } as unknown as IncomingMessage;
const tiers = { anonymousTier: "FREE", memberTier: "STANDARD", trustedProxyHops: 0 } as const;
const credential: ApiKeyCredential = { id: "k-1", prefix: "o2o_abcdefgh", retailerId: "r-1", storeId: "s-1", scopes: ["sensors:write"], tier: "STANDARD", safelistOnly: false, expiresAt: null, revoked: false };

describe("a device key bound to one store", () => {
  it("puts its store into the caller the subgraphs receive", async () => {
    const access = await authenticate(req, async () => credential, tiers);
    expect(access.caller).toEqual({ keyId: "k-1", retailerId: "r-1", scopes: ["sensors:write"], memberId: null, via: null, service: null, storeId: "s-1" });
  });

  it("leaves other keys (and credentials cached before the field existed) unbound", async () => {
    const { storeId: _, ...old } = credential;
    expect((await authenticate(req, async () => old, tiers)).caller.storeId).toBeNull();
    expect((await authenticate(req, async () => ({ ...credential, storeId: null }), tiers)).caller.storeId).toBeNull();
  });
});
