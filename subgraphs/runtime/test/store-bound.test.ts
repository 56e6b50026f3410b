import { describe, expect, it } from "vitest";
import { ANONYMOUS, signCaller, verifyCaller, type Caller } from "../src/caller.ts";
import { keyMayActAtStore } from "../src/scopes.ts";

const RETAILER = "11111111-1111-4111-8111-111111111111";
const OTHER_RETAILER = "22222222-2222-4222-8222-222222222222";
const STORE_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const STORE_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const device: Caller = { ...ANONYMOUS, keyId: "k", retailerId: RETAILER, scopes: ["sensors:write"], storeId: STORE_A };

describe("device keys bound to one store", () => {
  it("carry their store through the signed caller header; ANONYMOUS has none", () => {
    expect(verifyCaller(signCaller(device, "s"), "s")).toEqual(device);
    expect(ANONYMOUS.storeId).toBeNull();
    // A header signed before the field existed verifies with storeId null.
    const { storeId: _, ...old } = device;
    expect(verifyCaller(signCaller(old as Caller, "s"), "s")?.storeId).toBeNull();
  });

  it("act only at their own store, with the scope, for their retailer", () => {
    expect(keyMayActAtStore(device, "sensors:write", STORE_A, RETAILER)).toBe(true);
    expect(keyMayActAtStore(device, "sensors:write", STORE_A.toUpperCase(), RETAILER)).toBe(true);
    expect(keyMayActAtStore(device, "sensors:write", STORE_B, RETAILER)).toBe(false);
    expect(keyMayActAtStore(device, "sensors:write", STORE_A, OTHER_RETAILER)).toBe(false);
    expect(keyMayActAtStore(device, "inventory:write", STORE_A, RETAILER)).toBe(false);
    expect(keyMayActAtStore(device, "sensors:write", null, RETAILER)).toBe(false);
  });

  it("leave unbound keys as keyMayActFor has them; members are never keys", () => {
    const partner: Caller = { ...device, storeId: null };
    expect(keyMayActAtStore(partner, "sensors:write", STORE_B, RETAILER)).toBe(true);
    expect(keyMayActAtStore(partner, "sensors:write", STORE_B, OTHER_RETAILER)).toBe(false);
    const platform: Caller = { ...device, retailerId: null, storeId: null };
    expect(keyMayActAtStore(platform, "sensors:write", STORE_B, OTHER_RETAILER)).toBe(true);
    expect(keyMayActAtStore({ ...ANONYMOUS, memberId: "m", scopes: ["sensors:write"] }, "sensors:write", STORE_A, RETAILER)).toBe(false);
  });
});
