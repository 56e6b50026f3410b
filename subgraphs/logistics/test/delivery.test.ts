import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDRESS, AIKO, DELIVERED, DISPATCH, READY, hold, holdInput, pay, paidPickup, staffDo, staffView, startLifecycle, until, type Lifecycle } from "./lifecycle.ts";

// Home deliveries: paid → dispatched by the store (OUT_FOR_DELIVERY) → delivered (fulfillment.completed).
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

async function paidDelivery() {
  const input = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS, temperatureClasses: ["FROZEN"] });
  const { fulfillmentId } = await hold(l.h, input);
  await pay(l, input.orderId, fulfillmentId!);
  return { input, fulfillmentId: fulfillmentId! };
}

describe("dispatchDelivery → confirmDelivery", () => {
  it("dispatches a paid delivery and confirms it; the completion is relayed", async () => {
    const { input, fulfillmentId } = await paidDelivery();
    // Not before dispatch, and a delivery never waits at a counter.
    expect((await staffDo(l.h, DELIVERED, { id: fulfillmentId })).userErrors).toEqual([{ code: "INVALID_STATE", field: ["fulfillmentId"] }]);
    expect((await staffDo(l.h, READY, { id: fulfillmentId })).userErrors).toEqual([{ code: "INVALID_STATE", field: ["fulfillmentId"] }]);
    expect(await staffDo(l.h, DISPATCH, { id: fulfillmentId, note: "Cool van 3" })).toEqual({ fulfillment: { id: fulfillmentId, status: "OUT_FOR_DELIVERY" }, userErrors: [] });
    expect((await staffDo(l.h, DISPATCH, { id: fulfillmentId })).userErrors).toEqual([{ code: "INVALID_STATE", field: ["fulfillmentId"] }]);
    expect(await staffDo(l.h, DELIVERED, { id: fulfillmentId })).toEqual({ fulfillment: { id: fulfillmentId, status: "DELIVERED" }, userErrors: [] });
    expect((await staffView(l.h, fulfillmentId)).trackingEvents).toEqual([
      { status: "AWAITING_PAYMENT", note: "Awaiting payment" },
      { status: "PENDING", note: "Paid; being prepared" },
      { status: "OUT_FOR_DELIVERY", note: "Cool van 3" },
      { status: "DELIVERED", note: "Delivered" },
    ]);
    await until(async () => l.relayed.some((e) => e.type === "fulfillment.completed" && e.payload.fulfillmentId === fulfillmentId), "completion relayed");
    expect(l.relayed.filter((e) => e.payload.fulfillmentId === fulfillmentId).map((e) => [e.type, e.payload])).toEqual([
      ["fulfillment.completed", { orderId: input.orderId, fulfillmentId, memberId: AIKO, status: "DELIVERED" }],
    ]);
  });

  it("dispatches neither pickups nor unpaid deliveries", async () => {
    const pickup = await paidPickup(l, "hoshi-ginza", 1);
    expect((await staffDo(l.h, DISPATCH, { id: pickup.fulfillmentId })).userErrors).toEqual([{ code: "INVALID_STATE", field: ["fulfillmentId"] }]);
    expect((await staffDo(l.h, DELIVERED, { id: pickup.fulfillmentId })).userErrors).toEqual([{ code: "INVALID_STATE", field: ["fulfillmentId"] }]);
    const unpaid = await hold(l.h, holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS }));
    expect(await staffDo(l.h, DISPATCH, { id: unpaid.fulfillmentId })).toMatchObject({ fulfillment: { status: "AWAITING_PAYMENT" }, userErrors: [{ code: "INVALID_STATE" }] });
    expect((await staffView(l.h, pickup.fulfillmentId)).status).toBe("PENDING");
  });
});
