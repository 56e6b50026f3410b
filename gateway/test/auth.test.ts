import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { authenticate, clientAddress, signMemberToken, verifyMemberToken } from "../src/auth.ts";

const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;

describe("member tokens", () => {
  it("carry the member id until they expire", () => {
    const token = signMemberToken("m-1", 60, "secret", 1_000_000);
    expect(verifyMemberToken(token, "secret", 1_000_000 + 59_000)).toBe("m-1");
    expect(verifyMemberToken(token, "secret", 1_000_000 + 61_000)).toBeNull();
  });

  it("are refused when signed with another secret or altered", () => {
    const token = signMemberToken("m-1", 60, "secret");
    expect(verifyMemberToken(token, "other")).toBeNull();
    expect(verifyMemberToken(token.replace("mt_", "mt_x"), "secret")).toBeNull();
    expect(verifyMemberToken("not-a-token", "secret")).toBeNull();
  });
});

describe("authenticate", () => {
  // Keys are looked up in the stores subgraph (tested end to end in scripts/test/partner-keys.test.ts); these
  // cases must be decided without any lookup.
  const noLookup = async () => {
    throw new Error("no key lookup expected");
  };
  const tiers = { anonymousTier: "FREE", memberTier: "STANDARD", trustedProxyHops: 0 } as const;

  it("makes a request without credentials anonymous, bucketed by client address", async () => {
    const access = await authenticate(req(), noLookup, tiers);
    expect(access.caller).toEqual({ keyId: null, retailerId: null, scopes: [], memberId: null, via: null, service: null, storeId: null });
    expect(access).toMatchObject({ tier: "FREE", bucketKey: "ip:unknown", label: "anonymous" });
  });

  it("identifies the member of a valid token, with the member scopes", async () => {
    const access = await authenticate(req(`Bearer ${signMemberToken("m-9")}`), noLookup, tiers);
    expect(access.caller).toMatchObject({ memberId: "m-9", keyId: null, scopes: expect.arrayContaining(["orders:read", "members:pii"]) });
    expect(access).toMatchObject({ tier: "STANDARD", bucketKey: "member:m-9" });
  });

  it.each([["Bearer mt_bad.token"], ["Bearer o2o_short"], ["Basic abc"], ["Bearer"]])("refuses %s with UNAUTHENTICATED and HTTP 401, never as anonymous", async (header) => {
    await expect(authenticate(req(header), noLookup, tiers)).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  });
});

describe("clientAddress (anonymous callers' buckets)", () => {
  const from = (socket: string, forwarded?: string) => ({ socket: { remoteAddress: socket }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as unknown as IncomingMessage;

  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(from("10.0.0.5", "1.2.3.4"), 0)).toBe("10.0.0.5");
  });

  it("behind one trusted proxy is the last X-Forwarded-For entry; a client cannot pick its own bucket", () => {
    expect(clientAddress(from("10.0.0.5", "203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(from("10.0.0.5", "6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(from("10.0.0.5", "6.6.6.6, 203.0.113.7, 10.0.0.9"), 2)).toBe("203.0.113.7");
  });

  it("falls back to the socket without the header", () => {
    expect(clientAddress(from("10.0.0.5"), 1)).toBe("10.0.0.5");
  });
});
