import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { line, reservationHelpers } from "./reservation-support.ts";
import { startStores, type Harness } from "./support.ts";

// Unpaid holds expire: the sweeper (every 30 s on every replica) gives their stock back one minute after
// expiresAt. Called directly here with a clock in the future; stock is read back over GraphQL.
let h: Harness;
let t: ReturnType<typeof reservationHelpers>;
beforeAll(async () => {
  h = await startStores();
  t = reservationHelpers(h);
});
afterAll(() => h?.stop());

it("releases a hold only after expiresAt + 60 s, once, with one stock.released EXPIRED", async () => {
  await t.setStock("hoshi-shibuya", "HAN-001", 3);
  const order = randomUUID();
  const held = await t.reserve(order, [line("hoshi-shibuya", "HAN-001", 2)], undefined, 120);
  const expiresAt = Date.parse(held.expiresAt!);
  expect(await t.stockOf("hoshi-shibuya", "HAN-001")).toBe(1);

  // Within the grace minute the hold stands (a payment made at the last second still finds it).
  expect(await t.sweep(new Date(expiresAt + 59_000))).toBe(0);
  expect(await t.stockOf("hoshi-shibuya", "HAN-001")).toBe(1);

  expect(await t.sweep(new Date(expiresAt + 61_000))).toBe(1);
  expect(await t.stockOf("hoshi-shibuya", "HAN-001")).toBe(3);
  expect(await t.sweep(new Date(expiresAt + 3_600_000))).toBe(0);
  expect(await t.stockOf("hoshi-shibuya", "HAN-001")).toBe(3);

  expect(await t.status(order)).toEqual({ status: "RELEASED", release_reason: "EXPIRED" });
  const events = await t.outbox(order);
  expect(events.map((e) => e.type)).toEqual(["stock.reserved", "stock.released"]);
  expect(events[1]!.payload).toMatchObject({ orderId: order, reason: "EXPIRED" });
  // A replay of the order still answers what was stored; it does not take the stock again.
  expect(await t.reserve(order, [line("hoshi-shibuya", "HAN-001", 2)])).toEqual(held);
  expect(await t.stockOf("hoshi-shibuya", "HAN-001")).toBe(3);
});

it("sweeps every expired hold and leaves the ones still running", async () => {
  await t.setStock("hoshi-asakusa", "HAN-002", 10);
  const short = [randomUUID(), randomUUID(), randomUUID()];
  for (const o of short) await t.reserve(o, [line("hoshi-asakusa", "HAN-002", 2)], undefined, 60);
  const long = randomUUID();
  const kept = await t.reserve(long, [line("hoshi-asakusa", "HAN-002", 1)], undefined, 3_600);
  expect(await t.stockOf("hoshi-asakusa", "HAN-002")).toBe(3);
  expect(await t.sweep(new Date(Date.parse(kept.expiresAt!) - 60_000))).toBe(3);
  expect(await t.stockOf("hoshi-asakusa", "HAN-002")).toBe(9);
  expect(await t.status(long)).toEqual({ status: "HELD", release_reason: null });
});
