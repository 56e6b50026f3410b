import { randomUUID } from "node:crypto";
import { cacheFromEnv, entityTag, envelope, localWiring, rootTag, versionKey, type Wiring } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, PAYMENTS, hold, holdInput, pay, sql, startLifecycle, until, type Lifecycle, type Slot } from "./lifecycle.ts";
import { SLOTS, storeReps, tokyoDate } from "./support.ts";

// The gateways' read cache shows `Store.pickupSlots(date)` (capacityLeft) until logistics bumps `logistics:Store:<id>`
// (runtime cache-tags.ts): every booking into a slot and every cancellation out of one bumps it once its transaction
// has committed, before the mutation answers (events: right after their commit). The store is a fresh id with a slot
// plan of its own, so the counts are exact even on a Redis shared with other runs (REDIS_URL; otherwise process memory).
let l: Lifecycle;
const wiring: Wiring = { ...localWiring(), cache: cacheFromEnv() };
const STORE = randomUUID();
/** Another fresh store, where markers are booked and cancelled (see `drained`). */
const MARKERS = randomUUID();
beforeAll(async () => {
  l = await startLifecycle(wiring);
  // Every day 10:00–11:00 Tokyo: two places at STORE, plenty at MARKERS.
  for (const [store, capacity] of [[STORE, 2], [MARKERS, 100]] as const) {
    for (let weekday = 1; weekday <= 7; weekday++) {
      await sql(l.h, `INSERT INTO logistics.pickup_slot_plan (id, store_id, weekday, start_time, end_time, capacity, time_zone) VALUES ($1, $2, $3, '10:00', '11:00', $4, 'Asia/Tokyo')`, [
        randomUUID(),
        store,
        weekday,
        capacity,
      ]);
    }
  }
});
afterAll(async () => {
  await l?.stop();
  await wiring.cache.close();
});

const version = async (tag: string) => Number((await wiring.cache.get(versionKey(tag))) ?? 0);
const storeVersion = (store = STORE) => version(entityTag("logistics", "Store", store));
/** How many times `act` bumped the store's version, and whether it bumped logistics' root answers. */
async function bumps(act: () => Promise<unknown>): Promise<{ store: number; root: boolean }> {
  const [before, rootBefore] = [await storeVersion(), await version(rootTag("logistics"))];
  await act();
  return { store: (await storeVersion()) - before, root: (await version(rootTag("logistics"))) > rootBefore };
}
async function slotOn(offset: number, store = STORE): Promise<Slot> {
  const res = await l.h.q<{ _entities: { pickupSlots: Slot[] }[] }>(SLOTS, { r: storeReps([store]), date: tokyoDate(offset) });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0]!.pickupSlots[0]!;
}
const pickupAt = (slot: Slot) => holdInput("hoshi-ginza", { storeId: STORE, slotId: slot.id });
const RELEASE = `mutation($o: ID!) { releaseFulfillment(orderId: $o) }`;
const publish = (type: string, orderId: string) => l.wiring.bus.publish([envelope("payments", type, { orderId, memberId: AIKO })]);
/**
 * Waits until the consumer has applied every event published so far, bumps included: it applies them one at a time, in
 * order, each bump awaited after its commit, so once a marker published last has bumped its own store, all are done.
 */
async function drained(): Promise<void> {
  const marker = holdInput("hoshi-ginza", { storeId: MARKERS, slotId: (await slotOn(1, MARKERS)).id });
  expect(await hold(l.h, marker)).toMatchObject({ ok: true });
  const from = await storeVersion(MARKERS);
  await publish("order.cancelled", marker.orderId);
  await until(async () => (await storeVersion(MARKERS)) > from, "the marker's bump");
}
/** How much the events published so far bumped the store since `from`, once they have all been applied. */
async function consumedBump(from: number): Promise<number> {
  await drained();
  return (await storeVersion()) - from;
}

describe("pickup bookings invalidate the store's cached slots", () => {
  it("a hold bumps the store (and logistics' root answers); a replay and a refusal bump nothing", async () => {
    const slot = await slotOn(2);
    const input = pickupAt(slot);
    expect(await bumps(async () => expect(await hold(l.h, input)).toMatchObject({ ok: true }))).toEqual({ store: 1, root: true });
    expect((await bumps(async () => expect(await hold(l.h, input)).toMatchObject({ ok: true }))).store).toBe(0);
    expect((await bumps(async () => expect(await hold(l.h, pickupAt(slot))).toMatchObject({ ok: true }))).store).toBe(1);
    expect((await slotOn(2)).capacityLeft).toBe(0);
    expect((await bumps(async () => expect(await hold(l.h, pickupAt(slot))).toMatchObject({ code: "SLOT_FULL" }))).store).toBe(0);
  });

  it("releaseFulfillment bumps the store once it freed the slot; releasing again bumps nothing", async () => {
    const input = pickupAt(await slotOn(3));
    expect(await hold(l.h, input)).toMatchObject({ ok: true });
    const release = () => l.h.q(RELEASE, { o: input.orderId }, PAYMENTS);
    expect((await bumps(release)).store).toBe(1);
    expect((await bumps(release)).store).toBe(0);
    expect((await slotOn(3)).capacityLeft).toBe(2);
  });

  it("order.cancelled (consumer) bumps the store after its transaction", async () => {
    const input = pickupAt(await slotOn(4));
    expect(await hold(l.h, input)).toMatchObject({ ok: true });
    const from = await storeVersion();
    await publish("order.cancelled", input.orderId);
    expect(await consumedBump(from)).toBe(1);
    expect((await slotOn(4)).capacityLeft).toBe(2);
  });

  it("payment.captured keeps the booking (no bump); order.refunded frees it (one bump)", async () => {
    const input = pickupAt(await slotOn(5));
    const answer = await hold(l.h, input);
    expect(answer).toMatchObject({ ok: true });
    const from = await storeVersion();
    await pay(l, input.orderId, answer.fulfillmentId!);
    await publish("order.refunded", input.orderId);
    expect(await consumedBump(from)).toBe(1);
    expect((await slotOn(5)).capacityLeft).toBe(2);
  });

  it("a home delivery books no slot and bumps nothing", async () => {
    const input = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", storeId: STORE, address: { recipient: "Aiko Tanaka", line1: "2-5-8 Konan", city: "Minato-ku", postalCode: "108-0075", country: "JP" } });
    expect((await bumps(async () => expect(await hold(l.h, input)).toMatchObject({ ok: true }))).store).toBe(0);
  });
});
