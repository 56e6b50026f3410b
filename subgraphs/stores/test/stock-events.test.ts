import { randomUUID } from "node:crypto";
import { envelope } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, line, reservationHelpers } from "./reservation-support.ts";
import { startStores, type Harness } from "./support.ts";

// Payments' events and what they do to holds, each applied once however often the bus delivers it.
let h: Harness;
let t: ReturnType<typeof reservationHelpers>;
beforeAll(async () => {
  h = await startStores();
  t = reservationHelpers(h);
});
afterAll(() => h?.stop());

const event = (type: string, orderId: string) => envelope("payments", type, { orderId, memberId: randomUUID() });

/**
 * Waits until every event published so far has been consumed: the consumer reads the bus in order, so once
 * a marker published last has taken effect, the duplicates before it have been seen (and skipped).
 */
async function drained() {
  const marker = await t.held("hoshi-haneda", "KID-001", 1);
  await t.publish(event("order.cancelled", marker));
  await eventually(async () => (await t.status(marker))?.status === "RELEASED");
}
const releasedEvents = async (orderId: string) => (await t.outbox(orderId)).filter((e) => e.type === "stock.released").map((e) => e.payload.reason);

describe("payment.captured", () => {
  it("commits a hold, which then never expires", async () => {
    const order = await t.held("hoshi-ikebukuro", "HAN-001", 2, 5);
    const captured = event("payment.captured", order);
    await t.publish(captured, captured);
    await t.publish(captured);
    await drained();
    expect(await t.status(order)).toEqual({ status: "COMMITTED", release_reason: null });
    expect(await t.sweep(new Date(Date.now() + 30 * 86_400_000))).toBe(0);
    expect(await t.status(order)).toEqual({ status: "COMMITTED", release_reason: null });
    expect(await t.stockOf("hoshi-ikebukuro", "HAN-001")).toBe(3);
  });

  it("takes the stock again, once, for a hold that expired before the payment arrived", async () => {
    await t.setStock("hoshi-ikebukuro", "HAN-002", 7);
    const order = randomUUID();
    const held = await t.reserve(order, [line("hoshi-ikebukuro", "HAN-002", 3)], undefined, 60);
    expect(await t.sweep(new Date(Date.parse(held.expiresAt!) + 61_000))).toBe(1);
    expect(await t.stockOf("hoshi-ikebukuro", "HAN-002")).toBe(7);
    const captured = event("payment.captured", order);
    await t.publish(captured, captured);
    await drained();
    expect(await t.status(order)).toEqual({ status: "COMMITTED", release_reason: null });
    expect(await t.stockOf("hoshi-ikebukuro", "HAN-002")).toBe(4);
  });

  it("takes nothing when a line of an expired hold is gone (all or nothing), and leaves it released", async () => {
    await t.setStock("hoshi-ikebukuro", "HAN-003", 2);
    await t.setStock("hoshi-ikebukuro", "HAN-004", 2);
    const order = randomUUID();
    const held = await t.reserve(order, [line("hoshi-ikebukuro", "HAN-003", 2), line("hoshi-ikebukuro", "HAN-004", 2)], undefined, 60);
    expect(await t.sweep(new Date(Date.parse(held.expiresAt!) + 61_000))).toBe(1);
    await t.setStock("hoshi-ikebukuro", "HAN-004", 1); // sold to someone else meanwhile
    await t.publish(event("payment.captured", order));
    await drained();
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "EXPIRED" });
    expect(await t.stockOf("hoshi-ikebukuro", "HAN-003")).toBe(2);
    expect(await t.stockOf("hoshi-ikebukuro", "HAN-004")).toBe(1);
  });
});

describe("order.cancelled", () => {
  it("releases a held reservation once (stock.released CANCELLED)", async () => {
    const order = await t.held("hoshi-asakusa", "HAN-001", 1, 3);
    const cancelled = event("order.cancelled", order);
    await t.publish(cancelled, cancelled);
    await t.publish(cancelled);
    await drained();
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "CANCELLED" });
    expect(await t.stockOf("hoshi-asakusa", "HAN-001")).toBe(3);
    expect(await releasedEvents(order)).toEqual(["CANCELLED"]);
  });

  it("returns the stock of an authorised order that is cancelled (its payment was only held, then voided)", async () => {
    const order = await t.held("hoshi-asakusa", "HAN-002", 1, 3);
    await t.publish(event("payment.authorized", order));
    await drained();
    expect(await t.status(order)).toEqual({ status: "COMMITTED", release_reason: null });
    expect(await t.stockOf("hoshi-asakusa", "HAN-002")).toBe(2);
    await t.publish(event("order.cancelled", order));
    await drained();
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "CANCELLED" });
    expect(await t.stockOf("hoshi-asakusa", "HAN-002")).toBe(3);
  });
});

describe("order.refunded", () => {
  it("returns a paid reservation's goods to stock once (stock.released REFUNDED)", async () => {
    const order = await t.held("hoshi-ueno", "HAN-001", 2, 5);
    await t.publish(event("payment.captured", order));
    const refunded = event("order.refunded", order);
    await t.publish(refunded, refunded);
    await t.publish(refunded);
    await drained();
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "REFUNDED" });
    expect(await t.stockOf("hoshi-ueno", "HAN-001")).toBe(5);
    expect(await releasedEvents(order)).toEqual(["REFUNDED"]);
    // A late payment event for a refunded order takes nothing back.
    await t.publish(event("payment.captured", order));
    await drained();
    expect(await t.stockOf("hoshi-ueno", "HAN-001")).toBe(5);
  });

  it("returns a still-held reservation's stock too, and ignores one already released", async () => {
    const order = await t.held("hoshi-ueno", "HAN-002", 2, 2);
    const expired = await t.held("hoshi-ueno", "HAN-003", 1, 1);
    await t.publish(event("order.cancelled", expired));
    await t.publish(event("order.refunded", order), event("order.refunded", expired));
    await drained();
    expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "REFUNDED" });
    expect(await t.status(expired)).toEqual({ status: "RELEASED", release_reason: "CANCELLED" });
    expect(await t.stockOf("hoshi-ueno", "HAN-002")).toBe(2);
    expect(await t.stockOf("hoshi-ueno", "HAN-003")).toBe(1);
  });
});

it("skips events without a valid orderId instead of retrying them forever", async () => {
  await t.publish(envelope("payments", "order.cancelled", { orderId: "nope" }), envelope("payments", "payment.captured", {}));
  await drained();
});
