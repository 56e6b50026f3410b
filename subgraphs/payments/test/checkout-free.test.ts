import { demoRetailerId, demoStoreId, withSqlTransaction, type Caller } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEntryPass, verifyEntryPass } from "../src/checkout-free/entry-pass.ts";
import { basketOf } from "../src/checkout-free/sessions.ts";
import { AIKO, MINH, SOFIA, memberRep, startPayments, type Harness } from "./support.ts";

// Checkout-free pieces that need no sibling: the entry pass token, the basket arithmetic, the default payment
// method and the subgraph's own checks of who may call the gate and sensor mutations. The whole journey (stores,
// products, members) is tested through the gateway in scripts/test/checkout-free.test.ts.
let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(() => h?.stop());
const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));

const ROPPONGI = demoStoreId("corner24-roppongi");
const claims = { memberId: AIKO, storeId: ROPPONGI, expiresAt: Date.now() + 60_000, nonce: "n-1" };
const code = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (error) {
    return (error as { error?: { code: string } }).error?.code ?? "THREW";
  }
};

describe("entry pass tokens", () => {
  it("round-trip member, store, expiry and nonce", () => {
    expect(verifyEntryPass(signEntryPass(claims, "s"), Date.now(), "s")).toEqual(claims);
  });

  it("are PASS_INVALID when signed with another secret, altered or malformed, and PASS_EXPIRED after their expiry", () => {
    const token = signEntryPass(claims, "s");
    expect(code(() => verifyEntryPass(token, Date.now(), "other"))).toBe("PASS_INVALID");
    const [body, mac] = token.slice(3).split(".");
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), s: randomUUID() })).toString("base64url");
    expect(code(() => verifyEntryPass(`ep_${altered}.${mac}`, Date.now(), "s"))).toBe("PASS_INVALID");
    for (const bad of ["", "ep_", "ep_a.b", `${token}.x`, token.slice(1), "mt_abc.def"]) expect(code(() => verifyEntryPass(bad, Date.now(), "s")), bad).toBe("PASS_INVALID");
    expect(code(() => verifyEntryPass(token, claims.expiresAt, "s"))).toBe("PASS_EXPIRED");
    // The key is derived from the secret under its own label: the raw secret does not sign passes.
    expect(token).not.toBe(signEntryPass(claims, "s2"));
  });
});

describe("the basket", () => {
  const at = (s: number) => new Date(1_000 + s);
  it("is takes minus put-backs per product, in the order first taken, leaving out what went back", () => {
    const events = [
      { eventId: "1", productId: "a", kind: "TAKEN" as const, quantity: 2, recordedAt: at(1) },
      { eventId: "2", productId: "b", kind: "TAKEN" as const, quantity: 1, recordedAt: at(2) },
      { eventId: "3", productId: "a", kind: "PUT_BACK" as const, quantity: 1, recordedAt: at(3) },
      { eventId: "4", productId: "c", kind: "TAKEN" as const, quantity: 1, recordedAt: at(4) },
      { eventId: "5", productId: "c", kind: "PUT_BACK" as const, quantity: 1, recordedAt: at(5) },
    ];
    expect(basketOf(events.reverse())).toEqual([{ productId: "a", quantity: 1 }, { productId: "b", quantity: 1 }]);
    expect(basketOf([])).toEqual([]);
  });
});

const SET = `mutation($i: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $i) { defaultPaymentMethod { method cardToken } userErrors { code field } } }`;
const READ = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { defaultPaymentMethod { method cardToken } } } }`;

describe("the default payment method", () => {
  it("is seeded for Aiko (tok_visa) and replaced by the member's own call", async () => {
    expect((await h.q(READ, { r: memberRep(AIKO) }, { memberId: AIKO })).data!._entities).toEqual([{ defaultPaymentMethod: { method: "CARD", cardToken: "tok_visa" } }]);
    expect((await h.q(SET, { i: { method: "CARD", cardToken: "tok_jcb" } }, { memberId: MINH })).data!.setDefaultPaymentMethod.userErrors).toEqual([]);
    expect((await h.q(SET, { i: { method: "WALLET" } }, { memberId: MINH })).data!.setDefaultPaymentMethod.defaultPaymentMethod).toEqual({ method: "WALLET", cardToken: null });
    expect(await sql(`SELECT method::text, card_token FROM payments.default_payment_method WHERE member_id = $1`, [MINH])).toEqual([{ method: "WALLET", card_token: null }]);
  });

  it("is visible to the member only and settable by members only", async () => {
    expect((await h.q(READ, { r: memberRep(AIKO) }, { memberId: SOFIA })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(READ, { r: memberRep(AIKO) }, { keyId: "k", scopes: ["members:read", "payments:write"] })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(SET, { i: { method: "WALLET" } }, { keyId: "k", scopes: ["payments:write"] })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.q(SET, { i: { method: "WALLET" } }, { scopes: [] })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("gates and sensors", () => {
  const OPEN = `mutation($p: String!) { openShoppingSession(input: { pass: $p }) { session { id } userErrors { code } } }`;
  const CLOSE = `mutation($s: ID!) { closeShoppingSession(input: { sessionId: $s, exitEventId: "e" }) { session { id } userErrors { code } } }`;
  const device = { keyId: "gate", retailerId: demoRetailerId("corner24"), storeId: ROPPONGI, scopes: ["sensors:write"] };

  it("are device keys with sensors:write: members, services and keys without the scope are refused here too", async () => {
    const pass = signEntryPass(claims);
    const cases: [Partial<Caller>, string][] = [
      [{ memberId: AIKO }, "FORBIDDEN"],
      [{ service: "stores" }, "FORBIDDEN"],
      [{ ...device, scopes: ["inventory:write"] }, "FORBIDDEN"],
      [{ scopes: [] }, "UNAUTHENTICATED"],
    ];
    for (const [caller, expected] of cases) {
      expect((await h.q(OPEN, { p: pass }, caller)).errors?.[0]?.extensions?.code, JSON.stringify(caller)).toBe(expected);
    }
    expect((await h.q(CLOSE, { s: randomUUID() }, { memberId: AIKO })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await sql(`SELECT id FROM payments.shopping_session`)).toEqual([]);
  });

  it("answer SESSION_NOT_FOUND for a session that does not exist", async () => {
    expect((await h.q(CLOSE, { s: randomUUID() }, device)).data!.closeShoppingSession).toEqual({ session: null, userErrors: [{ code: "SESSION_NOT_FOUND" }] });
  });
});
