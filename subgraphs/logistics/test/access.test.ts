import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, DELIVERED, DISPATCH, FULFILLMENT, HAND_OVER, READY, STAFF, WEI, memberCode, paidPickup, startLifecycle, type Lifecycle } from "./lifecycle.ts";

// Who may do and see what: staff operations need store:operate; a pickup code is its member's alone.
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

const NOT_STAFF = [{}, { memberId: AIKO }, { scopes: ["catalog:read"] }, { service: "payments" }];

describe("staff scope", () => {
  it("is needed for every staff mutation and for reading a fulfilment by id (FORBIDDEN otherwise, nothing changes)", async () => {
    const { fulfillmentId } = await paidPickup(l, "hoshi-ginza", 1);
    const operations: [string, Record<string, unknown>][] = [
      [READY, { id: fulfillmentId }],
      [HAND_OVER, { i: { fulfillmentId, pickupCode: "123456" } }],
      [DISPATCH, { id: fulfillmentId }],
      [DELIVERED, { id: fulfillmentId }],
      [FULFILLMENT, { id: fulfillmentId }],
      [READY, { id: randomUUID() }],
    ];
    for (const caller of NOT_STAFF) {
      for (const [query, variables] of operations) {
        const res = await l.h.q(query, variables, caller);
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      }
    }
    const staff = await l.h.q<{ fulfillment: { status: string } }>(FULFILLMENT, { id: fulfillmentId }, STAFF);
    expect(staff.data!.fulfillment.status).toBe("PENDING");
    expect((await l.h.q(FULFILLMENT, { id: randomUUID() }, STAFF)).data).toEqual({ fulfillment: null });
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
