import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { authenticate, signMemberToken, verifyMemberToken } from "../src/auth.ts";

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
  it("makes a request without credentials anonymous", () => {
    expect(authenticate(req())).toEqual({ keyId: null, retailerId: null, scopes: [], memberId: null, service: null });
  });

  it("identifies the member of a valid token", () => {
    expect(authenticate(req(`Bearer ${signMemberToken("m-9")}`)).memberId).toBe("m-9");
  });

  it("refuses a bad token with UNAUTHENTICATED and HTTP 401 instead of treating it as anonymous", () => {
    expect(() => authenticate(req("Bearer mt_bad.token"))).toThrowError(
      expect.objectContaining({ extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } }),
    );
  });
});

describe("staff tokens", () => {
  it("carry known scopes and the retailer, and are not member tokens", async () => {
    const { signStaffToken, verifyStaffToken } = await import("../src/auth.ts");
    const token = signStaffToken({ staffId: "s-1", scopes: ["store:operate"], retailerId: "r-1" }, 60, "secret");
    expect(verifyStaffToken(token, "secret")).toEqual({ staffId: "s-1", scopes: ["store:operate"], retailerId: "r-1" });
    expect(verifyMemberToken(token, "secret")).toBeNull();
    expect(verifyStaffToken(token.replace("st_", "mt_"), "secret")).toBeNull();
    expect(verifyStaffToken(token, "other")).toBeNull();
  });

  it("become a caller with scopes at the gateway", async () => {
    const { signStaffToken } = await import("../src/auth.ts");
    const caller = authenticate(req(`Bearer ${signStaffToken({ staffId: "s-1", scopes: ["store:operate"], retailerId: null })}`));
    expect(caller).toMatchObject({ memberId: null, scopes: ["store:operate"], retailerId: null });
  });
});
