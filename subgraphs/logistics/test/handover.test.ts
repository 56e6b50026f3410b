import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF, AIKO, HAND_OVER, READY, hold, holdInput, memberCode, paidPickup, slotsOf, sql, staffDo, staffView, startLifecycle, until, wrongCode, type Lifecycle } from "./lifecycle.ts";

// Staff at the counter: a paid pickup is packed (READY_FOR_PICKUP) and handed over against the member's code.
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

const attempts = async (id: string) => (await sql<{ n: number }>(l.h, `SELECT failed_code_attempts AS n FROM logistics.fulfillment WHERE id = $1`, [id]))[0]!.n;

describe("markFulfillmentReady → handOverFulfillment", () => {
  it("packs a paid pickup, refuses a wrong code, hands over with the right one; events relayed", async () => {
    const { input, fulfillmentId } = await paidPickup(l, "hoshi-ginza", 1);
    const code = (await memberCode(l.h, input.orderId, AIKO))!;
    // Not packed yet: nothing to hand over.
    expect(await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code } })).toMatchObject({ userErrors: [{ code: "INVALID_STATE" }] });
    expect(await staffDo(l.h, READY, { id: fulfillmentId })).toEqual({ fulfillment: { id: fulfillmentId, status: "READY_FOR_PICKUP" }, userErrors: [] });
    expect(await staffDo(l.h, READY, { id: fulfillmentId })).toEqual({ fulfillment: { id: fulfillmentId, status: "READY_FOR_PICKUP" }, userErrors: [{ code: "INVALID_STATE", field: ["fulfillmentId"] }] });

    const wrong = await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: wrongCode(code) } });
    expect(wrong).toEqual({ fulfillment: { id: fulfillmentId, status: "READY_FOR_PICKUP" }, userErrors: [{ code: "WRONG_PICKUP_CODE", field: ["input", "pickupCode"] }] });
    expect(await attempts(fulfillmentId)).toBe(1);
    expect(await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code } })).toEqual({ fulfillment: { id: fulfillmentId, status: "PICKED_UP" }, userErrors: [] });
    expect(await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code } })).toMatchObject({ userErrors: [{ code: "INVALID_STATE" }] });

    expect((await staffView(l.h, fulfillmentId)).trackingEvents).toEqual([
      { status: "AWAITING_PAYMENT", note: "Slot held until payment" },
      { status: "PENDING", note: "Paid; being prepared" },
      { status: "READY_FOR_PICKUP", note: "Packed; waiting at the counter" },
      { status: "PICKED_UP", note: "Handed over" },
    ]);
    await until(async () => l.relayed.filter((e) => e.payload.fulfillmentId === fulfillmentId).length === 2, "events relayed");
    expect(l.relayed.filter((e) => e.payload.fulfillmentId === fulfillmentId).map((e) => [e.source, e.type, e.payload])).toEqual([
      ["logistics", "fulfillment.ready", { orderId: input.orderId, fulfillmentId, memberId: AIKO, storeId: input.storeId }],
      ["logistics", "fulfillment.completed", { orderId: input.orderId, fulfillmentId, memberId: AIKO, status: "PICKED_UP" }],
    ]);
  });

  it("locks the handover after five wrong codes, even for the right one", async () => {
    const { input, fulfillmentId } = await paidPickup(l, "hoshi-ginza", 2);
    await staffDo(l.h, READY, { id: fulfillmentId });
    const code = (await memberCode(l.h, input.orderId, AIKO))!;
    const tries = await Promise.all(Array.from({ length: 7 }, () => staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: wrongCode(code) } })));
    expect(tries.filter((t) => t.userErrors[0]!.code === "WRONG_PICKUP_CODE")).toHaveLength(5);
    expect(tries.filter((t) => t.userErrors[0]!.code === "PICKUP_LOCKED")).toHaveLength(2);
    expect(await attempts(fulfillmentId)).toBe(5);
    expect((await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code } })).userErrors).toEqual([{ code: "PICKUP_LOCKED", field: ["input", "pickupCode"] }]);
    expect((await staffView(l.h, fulfillmentId)).status).toBe("READY_FOR_PICKUP");
  });

  it("needs a passport for a tax-free order; an unreachable members is SERVICE_UNAVAILABLE, not a guess", async () => {
    const { input, fulfillmentId } = await paidPickup(l, "hoshi-ginza", 3, { taxFree: true });
    await staffDo(l.h, READY, { id: fulfillmentId });
    const code = (await memberCode(l.h, input.orderId, AIKO))!;
    for (const passportNumber of [undefined, null, "", "  "]) {
      expect((await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code, passportNumber } })).userErrors).toEqual([{ code: "PASSPORT_REQUIRED", field: ["input", "passportNumber"] }]);
    }
    l.wiring.peers.register("members", "http://127.0.0.1:9/graphql");
    const res = await l.h.q(HAND_OVER, { i: { fulfillmentId, pickupCode: code, passportNumber: "EJ1234567" } }, STAFF);
    expect(res.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect((await staffView(l.h, fulfillmentId)).status).toBe("READY_FOR_PICKUP");
    expect(await attempts(fulfillmentId)).toBe(0);
  });

  it("refuses what is not a ready pickup: unknown ids, unpaid holds, deliveries", async () => {
    expect(await staffDo(l.h, READY, { id: randomUUID() })).toEqual({ fulfillment: null, userErrors: [{ code: "NOT_FOUND", field: ["fulfillmentId"] }] });
    expect(await staffDo(l.h, READY, { id: "nope" })).toEqual({ fulfillment: null, userErrors: [{ code: "NOT_FOUND", field: ["fulfillmentId"] }] });
    expect(await staffDo(l.h, HAND_OVER, { i: { fulfillmentId: randomUUID(), pickupCode: "123456" } })).toEqual({ fulfillment: null, userErrors: [{ code: "NOT_FOUND", field: ["input", "fulfillmentId"] }] });
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 4);
    const unpaid = await hold(l.h, holdInput("hoshi-ginza", { slotId: slot!.id }));
    expect(await staffDo(l.h, READY, { id: unpaid.fulfillmentId })).toMatchObject({ fulfillment: { status: "AWAITING_PAYMENT" }, userErrors: [{ code: "INVALID_STATE" }] });
    const outbox = await sql<{ n: number }>(l.h, `SELECT count(*)::int AS n FROM logistics.outbox_event WHERE payload->>'fulfillmentId' = $1`, [unpaid.fulfillmentId]);
    expect(outbox[0]!.n).toBe(0);
  });
});
