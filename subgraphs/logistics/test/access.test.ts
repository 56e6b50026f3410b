import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, DELIVERED, DISPATCH, FULFILLMENT, HAND_OVER, READY, STAFF, WEI, memberCode, paidPickup, startLifecycle, type Lifecycle } from "./lifecycle.ts";

// Who may do and see what: counter operations need an API key with fulfillment:write, reading a fulfilment by id
// orders:read (a member: their own); a pickup code is its member's alone. Partner keys are bound to their own
// stores (asked of the real stores subgraph): end to end in scripts/test/data-bound.test.ts.
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

const NOT_COUNTER: [Record<string, unknown>, string][] = [
  [{}, "UNAUTHENTICATED"],
  [{ memberId: AIKO }, "FORBIDDEN"],
  [{ keyId: "k", scopes: ["inventory:read", "orders:read"] }, "FORBIDDEN"],
  [{ service: "payments" }, "FORBIDDEN"],
];

describe("counter operations", () => {
  it("need a key with fulfillment:write (nothing changes otherwise)", async () => {
    const { fulfillmentId } = await paidPickup(l, "hoshi-ginza", 1);
    const operations: [string, Record<string, unknown>][] = [
      [READY, { id: fulfillmentId }],
      [HAND_OVER, { i: { fulfillmentId, pickupCode: "123456" } }],
      [DISPATCH, { id: fulfillmentId }],
      [DELIVERED, { id: fulfillmentId }],
      [READY, { id: randomUUID() }],
    ];
    for (const [caller, code] of NOT_COUNTER) {
      for (const [query, variables] of operations) {
        const res = await l.h.q(query, variables, caller);
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      }
    }
    const staff = await l.h.q<{ fulfillment: { status: string } }>(FULFILLMENT, { id: fulfillmentId }, STAFF);
    expect(staff.data!.fulfillment.status).toBe("PENDING");
    expect((await l.h.q(FULFILLMENT, { id: randomUUID() }, STAFF)).data).toEqual({ fulfillment: null });
  });

  it("fulfillment(id) needs orders:read: the member's own, a platform key any, nothing for others", async () => {
    const { fulfillmentId } = await paidPickup(l, "hoshi-ginza", 1);
    expect((await l.h.q(FULFILLMENT, { id: fulfillmentId }, { memberId: AIKO })).data).toEqual({ fulfillment: expect.objectContaining({ status: "PENDING" }) });
    expect((await l.h.q(FULFILLMENT, { id: fulfillmentId }, { memberId: WEI })).data).toEqual({ fulfillment: null });
    expect((await l.h.q(FULFILLMENT, { id: fulfillmentId }, { service: "payments" })).data).toEqual({ fulfillment: null });
    expect((await l.h.q(FULFILLMENT, { id: fulfillmentId }, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await l.h.q(FULFILLMENT, { id: fulfillmentId }, { keyId: "k", scopes: ["fulfillment:write"] })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("pickupCode", () => {
  it("resolves for the order's member only: not for staff, other members, services or anonymous callers", async () => {
    const { input, fulfillmentId } = await paidPickup(l, "hoshi-ginza", 2);
    expect(await memberCode(l.h, input.orderId, AIKO)).toMatch(/^\d{6}$/);
    expect(await memberCode(l.h, input.orderId, AIKO.toUpperCase())).toMatch(/^\d{6}$/);
    expect(await memberCode(l.h, input.orderId, WEI)).toBeNull();
    const code = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { fulfillment { pickupCode } } } }`;
    for (const caller of [{}, STAFF, { service: "payments" }, { ...STAFF, memberId: WEI }]) {
      const res = await l.h.q(code, { r: [{ __typename: "Order", id: input.orderId }] }, caller);
      expect(res.data!._entities).toEqual([{ fulfillment: { pickupCode: null } }]);
    }
    const staff = await l.h.q<{ fulfillment: { pickupCode: string | null } }>(FULFILLMENT, { id: fulfillmentId }, STAFF);
    expect(staff.data!.fulfillment.pickupCode).toBeNull();
  });
});
