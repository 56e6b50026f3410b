import { randomUUID } from "node:crypto";
import { envelope } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDRESS, AIKO, DELIVERED, DISPATCH, HAND_OVER, PAYMENTS, READY, hold, holdInput, memberCode, paidPickup, slotsOf, sql, staffDo, staffView, startLifecycle, until, type Lifecycle } from "./lifecycle.ts";

// What logistics does with payments' events: each applied once, whatever the bus redelivers.
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

const processed = async (eventId: string) =>
  (await sql<{ n: number }>(l.h, `SELECT count(*)::int AS n FROM logistics.processed_event WHERE event_id = $1`, [eventId]))[0]!.n;

/**
 * Publishes `e` twice (a redelivery) and returns once both copies were handled: the bus hands a group its events in
 * order, so when a marker published after them is processed (a capture of an order nobody has: a recorded no-op),
 * the duplicate is behind us too.
 */
async function deliverTwice(e: ReturnType<typeof envelope>) {
  const marker = envelope("payments", "payment.captured", { orderId: randomUUID() });
  await l.wiring.bus.publish([e, e, marker]);
  await until(async () => (await processed(marker.id)) === 1, `${e.type} handled`);
  expect(await processed(e.id)).toBe(1);
}

describe("payment.captured", () => {
  it("turns the hold into a PENDING pickup with a 6-digit code, once", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 1);
    const input = holdInput("hoshi-ginza", { slotId: slot!.id });
    const { fulfillmentId } = await hold(l.h, input);
    const captured = envelope("payments", "payment.captured", { orderId: input.orderId, memberId: AIKO, currency: "JPY", amount: 5000 });
    await deliverTwice(captured);
    const view = await staffView(l.h, fulfillmentId!);
    expect(view).toMatchObject({ status: "PENDING", pickupCode: null, order: { id: input.orderId } });
    expect(view.trackingEvents).toEqual([
      { status: "AWAITING_PAYMENT", note: "Slot held until payment" },
      { status: "PENDING", note: "Paid; being prepared" },
    ]);
    const code = await memberCode(l.h, input.orderId, AIKO);
    expect(code).toMatch(/^\d{6}$/);
    // A second capture of the same order (a new event id) changes nothing either: the hold is no longer awaiting payment.
    await deliverTwice(envelope("payments", "payment.captured", { orderId: input.orderId }));
    expect(await memberCode(l.h, input.orderId, AIKO)).toBe(code);
    expect((await staffView(l.h, fulfillmentId!)).trackingEvents).toHaveLength(2);
    // Paid: checkout compensation no longer releases it.
    expect((await l.h.q(`mutation($o: ID!) { releaseFulfillment(orderId: $o) }`, { o: input.orderId }, PAYMENTS)).data).toEqual({ releaseFulfillment: true });
    expect((await staffView(l.h, fulfillmentId!)).status).toBe("PENDING");
  });

  it("gives home deliveries no code", async () => {
    const input = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS });
    const { fulfillmentId } = await hold(l.h, input);
    await deliverTwice(envelope("payments", "payment.captured", { orderId: input.orderId }));
    expect((await staffView(l.h, fulfillmentId!)).status).toBe("PENDING");
    expect(await memberCode(l.h, input.orderId, AIKO)).toBeNull();
  });

  it("ignores orders logistics has no fulfilment for, and malformed ids", async () => {
    const unknown = envelope("payments", "payment.captured", { orderId: "00000000-0000-4000-8000-000000000001" });
    const malformed = envelope("payments", "payment.captured", { orderId: "x" });
    await deliverTwice(unknown);
    await deliverTwice(malformed);
    expect(await processed(unknown.id)).toBe(1);
  });
});

describe("order.cancelled / order.refunded", () => {
  it("cancel an unpaid hold and free its slot, once", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 2);
    const input = holdInput("hoshi-ginza", { slotId: slot!.id });
    const { fulfillmentId } = await hold(l.h, input);
    expect((await slotsOf(l.h, "hoshi-ginza", 2))[0]!.capacityLeft).toBe(slot!.capacityLeft - 1);
    await deliverTwice(envelope("payments", "order.cancelled", { orderId: input.orderId, memberId: AIKO, reason: "EXPIRED" }));
    expect((await staffView(l.h, fulfillmentId!)).trackingEvents).toEqual([
      { status: "AWAITING_PAYMENT", note: "Slot held until payment" },
      { status: "CANCELLED", note: "Order cancelled" },
    ]);
    expect((await slotsOf(l.h, "hoshi-ginza", 2))[0]!.capacityLeft).toBe(slot!.capacityLeft);
    // A capture arriving after the cancellation does not revive it.
    await deliverTwice(envelope("payments", "payment.captured", { orderId: input.orderId }));
    expect((await staffView(l.h, fulfillmentId!)).status).toBe("CANCELLED");
  });

  it("cancel paid, ready and out-for-delivery fulfilments", async () => {
    const ready = await paidPickup(l, "hoshi-ginza", 3);
    await staffDo(l.h, READY, { id: ready.fulfillmentId });
    await deliverTwice(envelope("payments", "order.refunded", { orderId: ready.input.orderId, memberId: AIKO, pointsRedeemed: 0 }));
    expect((await staffView(l.h, ready.fulfillmentId)).trackingEvents.map((e) => e.status)).toEqual(["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP", "CANCELLED"]);

    const delivery = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS });
    const { fulfillmentId } = await hold(l.h, delivery);
    await deliverTwice(envelope("payments", "payment.captured", { orderId: delivery.orderId }));
    await staffDo(l.h, DISPATCH, { id: fulfillmentId });
    await deliverTwice(envelope("payments", "order.cancelled", { orderId: delivery.orderId, reason: "CUSTOMER" }));
    expect((await staffView(l.h, fulfillmentId!)).status).toBe("CANCELLED");
  });

  it("leave handed-over and delivered fulfilments alone", async () => {
    const picked = await paidPickup(l, "hoshi-ginza", 4);
    await staffDo(l.h, READY, { id: picked.fulfillmentId });
    const code = (await memberCode(l.h, picked.input.orderId, AIKO))!;
    expect((await staffDo(l.h, HAND_OVER, { i: { fulfillmentId: picked.fulfillmentId, pickupCode: code } })).userErrors).toEqual([]);
    await deliverTwice(envelope("payments", "order.refunded", { orderId: picked.input.orderId }));
    expect((await staffView(l.h, picked.fulfillmentId)).status).toBe("PICKED_UP");

    const delivery = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS });
    const { fulfillmentId } = await hold(l.h, delivery);
    await deliverTwice(envelope("payments", "payment.captured", { orderId: delivery.orderId }));
    await staffDo(l.h, DISPATCH, { id: fulfillmentId });
    await staffDo(l.h, DELIVERED, { id: fulfillmentId });
    await deliverTwice(envelope("payments", "order.cancelled", { orderId: delivery.orderId }));
    expect((await staffView(l.h, fulfillmentId!)).status).toBe("DELIVERED");
  });
});
