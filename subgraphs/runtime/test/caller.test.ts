import { describe, expect, it } from "vitest";
import { signCaller, verifyCaller, type Caller } from "../src/caller.ts";

const caller: Caller = { keyId: "k1", retailerId: null, scopes: ["orders:read"], memberId: "m1", via: null, service: null, storeId: null };

describe("signed caller header", () => {
  it("round-trips a caller signed with the shared secret", () => {
    expect(verifyCaller(signCaller(caller, "s"), "s")).toEqual(caller);
  });

  it("refuses a header signed with another secret, tampered with, stale or malformed", () => {
    const header = signCaller(caller, "s");
    expect(verifyCaller(header, "other")).toBeNull();
    const [payload, mac] = header.split(".");
    const forged = Buffer.from(JSON.stringify({ ...caller, scopes: ["admin"], iat: Date.now() })).toString("base64url");
    expect(verifyCaller(`${forged}.${mac}`, "s")).toBeNull();
    expect(verifyCaller(`${payload}`, "s")).toBeNull();
    expect(verifyCaller(signCaller(caller, "s", Date.now() - 10 * 60_000), "s")).toBeNull();
    expect(verifyCaller(undefined, "s")).toBeNull();
    expect(verifyCaller("garbage.garbage", "s")).toBeNull();
  });
});
