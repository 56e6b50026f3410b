import { randomUUID } from "node:crypto";
import { parse, type DefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slotId } from "../src/slots.ts";
import { ADDRESS, AIKO, PAYMENTS, STAFF, hold, holdInput, rowsOf, slotsOf, sql, startLifecycle, totals, type Lifecycle, type StoreKey } from "./lifecycle.ts";
import { store, tokyoDate, tokyoInstant } from "./support.ts";

// holdFulfillment / releaseFulfillment: what payments calls at checkout (internal, @inaccessible).
let l: Lifecycle;
beforeAll(async () => void (l = await startLifecycle()));
afterAll(() => l?.stop());

const RELEASE = `mutation($o: ID!) { releaseFulfillment(orderId: $o) }`;
const release = async (orderId: string) => (await l.h.q<{ releaseFulfillment: boolean }>(RELEASE, { o: orderId }, PAYMENTS)).data?.releaseFulfillment;
const rowOf = async (orderId: string) =>
  (
    await sql<{ status: string; member_id: string; tax_free: boolean; requires_passport_check: boolean; pickup_code: string | null; address: unknown; events: string[] }>(
      l.h,
      `SELECT f.status::text, f.member_id::text, f.tax_free, f.requires_passport_check, f.pickup_code, f.address,
              array(SELECT t.status::text FROM logistics.tracking_event t WHERE t.fulfillment_id = f.id ORDER BY t.at, t.id) AS events
       FROM logistics.fulfillment f WHERE f.order_id = $1`,
      [orderId],
    )
  )[0];
/** The id of the slot of `storeKey` at `hour` (Tokyo) `offset` days from today, whether or not it exists. */
const slotAt = (storeKey: string, offset: number, hour: number) => slotId({ storeId: store(storeKey), startsAt: new Date(tokyoInstant(tokyoDate(offset), hour)) });

describe("holdFulfillment", () => {
  it("holds the slot as AWAITING_PAYMENT, once per order (a replay gets the same answer)", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 1);
    const input = holdInput("hoshi-ginza", { slotId: slot!.id });
    const first = await hold(l.h, input);
    expect(first).toEqual({ ok: true, code: null, message: null, fulfillmentId: expect.any(String) });
    expect(await hold(l.h, input)).toEqual(first);
    expect(await hold(l.h, { ...input, orderId: input.orderId.toUpperCase() })).toEqual(first);
    expect(await rowOf(input.orderId)).toEqual({ status: "AWAITING_PAYMENT", member_id: AIKO, tax_free: false, requires_passport_check: false, pickup_code: null, address: null, events: ["AWAITING_PAYMENT"] });
    // Held, not yet paid: it already takes a place in the slot.
    expect((await slotsOf(l.h, "hoshi-ginza", 1))[0]!.capacityLeft).toBe(slot!.capacityLeft - 1);
  });

  it("answers concurrent holds of one order with one fulfilment", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 2);
    const input = holdInput("hoshi-ginza", { slotId: slot!.id });
    const answers = await Promise.all(Array.from({ length: 5 }, () => hold(l.h, input)));
    expect(new Set(answers.map((a) => a.fulfillmentId)).size).toBe(1);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(await rowsOf(l.h, input.orderId)).toBe(1);
  });

  it("books tax-free orders for a passport check, deliveries with their address and no slot", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 3);
    const taxFree = holdInput("hoshi-ginza", { slotId: slot!.id, taxFree: true });
    expect((await hold(l.h, taxFree)).ok).toBe(true);
    expect(await rowOf(taxFree.orderId)).toMatchObject({ tax_free: true, requires_passport_check: true });
    // Deliveries book no pickup slot even if one is sent along.
    const delivery = holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: ADDRESS, slotId: slot!.id, temperatureClasses: ["FROZEN"] });
    expect((await hold(l.h, delivery)).ok).toBe(true);
    expect(await rowOf(delivery.orderId)).toMatchObject({ status: "AWAITING_PAYMENT", address: ADDRESS });
    expect((await sql<{ s: string | null }>(l.h, `SELECT slot_starts_at::text AS s FROM logistics.fulfillment WHERE order_id = $1`, [delivery.orderId]))[0]!.s).toBeNull();
    expect((await slotsOf(l.h, "hoshi-ginza", 3))[0]!.capacityLeft).toBe(slot!.capacityLeft - 1);
  });

  it("accepts each pickup type where the store offers it", async () => {
    const ok = async (storeKey: StoreKey, extra: Record<string, unknown>) => {
      const [slot] = await slotsOf(l.h, storeKey, 4);
      return (await hold(l.h, holdInput(storeKey, { slotId: slot!.id, ...extra }))).code;
    };
    expect(await ok("corner24-kanda", { type: "CONVENIENCE_PICKUP", temperatureClasses: ["AMBIENT", "CHILLED"] })).toBeNull();
    expect(await ok("corner24-tsukiji-locker", { type: "PICKUP_POINT", temperatureClasses: ["CHILLED"] })).toBeNull();
    // PICKUP_POINT: a pickup point by format, or any store with a pickup counter.
    expect(await ok("corner24-tsukiji-locker", { type: "PICKUP_POINT", storeCapabilities: [] })).toBeNull();
    expect(await ok("hoshi-ginza", { type: "PICKUP_POINT" })).toBeNull();
    expect(await ok("freshway-shinagawa", { type: "STORE_PICKUP", temperatureClasses: ["FROZEN", "CHILLED"] })).toBeNull();
  });

  it("refuses each bad choice with its code and writes nothing", async () => {
    const [ginza] = await slotsOf(l.h, "hoshi-ginza", 5);
    const [asakusa] = await slotsOf(l.h, "hoshi-asakusa", 5);
    const [locker] = await slotsOf(l.h, "corner24-tsukiji-locker", 5);
    const [showroomSlot] = await slotsOf(l.h, "hoshi-ginza", 6);
    const cases: [string, Record<string, unknown>][] = [
      ["PICKUP_NOT_OFFERED", holdInput("hoshi-ginza", { type: "CONVENIENCE_PICKUP", slotId: ginza!.id })],
      ["PICKUP_NOT_OFFERED", holdInput("lumen-omotesando", { slotId: showroomSlot!.id })],
      ["PICKUP_NOT_OFFERED", holdInput("lumen-omotesando", { type: "PICKUP_POINT", slotId: showroomSlot!.id })],
      ["PICKUP_NOT_OFFERED", holdInput("corner24-kanda", { type: "CONVENIENCE_PICKUP", storeCapabilities: ["CHILLED_STORAGE"], slotId: ginza!.id })],
      ["SLOT_REQUIRED", holdInput("hoshi-ginza", { slotId: null })],
      ["SLOT_UNKNOWN", holdInput("hoshi-ginza", { slotId: randomUUID() })],
      ["SLOT_UNKNOWN", holdInput("hoshi-ginza", { slotId: asakusa!.id })],
      ["SLOT_UNKNOWN", holdInput("hoshi-ginza", { slotId: slotAt("hoshi-ginza", 5, 9) })],
      ["SLOT_IN_PAST", holdInput("hoshi-ginza", { slotId: slotAt("hoshi-ginza", -1, 11) })],
      ["SLOT_TOO_FAR", holdInput("hoshi-ginza", { slotId: slotAt("hoshi-ginza", 31, 11) })],
      ["STORAGE_UNAVAILABLE", holdInput("corner24-tsukiji-locker", { type: "PICKUP_POINT", temperatureClasses: ["AMBIENT", "FROZEN"], slotId: locker!.id })],
      ["STORAGE_UNAVAILABLE", holdInput("hoshi-ginza", { temperatureClasses: ["CHILLED"], slotId: ginza!.id })],
      ["ADDRESS_REQUIRED", holdInput("freshway-shinagawa", { type: "HOME_DELIVERY" })],
      ["ADDRESS_REQUIRED", holdInput("freshway-shinagawa", { type: "HOME_DELIVERY", address: { ...ADDRESS, city: " " } })],
      ["INVALID_INPUT", holdInput("hoshi-ginza", { orderId: "order-1", slotId: ginza!.id })],
    ];
    const before = await totals(l.h);
    for (const [code, input] of cases) {
      const answer = await hold(l.h, input);
      expect({ input: input.storeId, ...answer }).toMatchObject({ ok: false, code, message: expect.any(String), fulfillmentId: null });
      if (code !== "INVALID_INPUT") expect(await rowsOf(l.h, input.orderId as string)).toBe(0);
    }
    expect(await totals(l.h)).toEqual(before);
    expect((await slotsOf(l.h, "hoshi-ginza", 5))[0]!.capacityLeft).toBe(ginza!.capacityLeft);
  });

  it("refuses SLOT_FULL once holds fill the slot; a released hold frees its place", async () => {
    const slot = (await slotsOf(l.h, "corner24-kanda", 7))[0]!;
    const kanda = (extra: Record<string, unknown> = {}) => holdInput("corner24-kanda", { type: "CONVENIENCE_PICKUP", slotId: slot.id, ...extra });
    const holds = [];
    for (let i = 0; i < slot.capacityLeft; i++) holds.push(kanda());
    for (const input of holds) expect((await hold(l.h, input)).ok).toBe(true);
    const late = kanda();
    const before = await totals(l.h);
    expect(await hold(l.h, late)).toMatchObject({ ok: false, code: "SLOT_FULL", fulfillmentId: null });
    expect(await rowsOf(l.h, late.orderId)).toBe(0);
    expect(await totals(l.h)).toEqual(before);
    expect((await slotsOf(l.h, "corner24-kanda", 7))[0]!.capacityLeft).toBe(0);
    expect(await release(holds[0]!.orderId)).toBe(true);
    expect((await slotsOf(l.h, "corner24-kanda", 7))[0]!.capacityLeft).toBe(1);
    expect((await hold(l.h, late)).ok).toBe(true);
  });

  it("fills a slot with exactly its capacity under concurrent holds", async () => {
    const slot = (await slotsOf(l.h, "hoshi-ueno", 2))[0]!;
    const answers = await Promise.all(Array.from({ length: slot.capacityLeft + 6 }, () => hold(l.h, holdInput("hoshi-ueno", { slotId: slot.id }))));
    expect(answers.filter((a) => a.ok)).toHaveLength(slot.capacityLeft);
    expect(answers.filter((a) => a.code === "SLOT_FULL")).toHaveLength(6);
    const booked = await sql<{ n: number }>(l.h, `SELECT count(*)::int AS n FROM logistics.fulfillment WHERE store_id = $1 AND slot_starts_at = $2 AND status <> 'CANCELLED'`, [store("hoshi-ueno"), slot.startsAt]);
    expect(booked[0]!.n).toBe(slot.capacity);
    expect((await slotsOf(l.h, "hoshi-ueno", 2))[0]!.capacityLeft).toBe(0);
  });
});

describe("releaseFulfillment", () => {
  it("cancels an unpaid hold once; unknown orders are a no-op", async () => {
    const [slot] = await slotsOf(l.h, "hoshi-ginza", 8);
    const input = holdInput("hoshi-ginza", { slotId: slot!.id });
    await hold(l.h, input);
    expect(await release(input.orderId)).toBe(true);
    expect(await release(input.orderId)).toBe(true);
    expect(await rowOf(input.orderId)).toMatchObject({ status: "CANCELLED", events: ["AWAITING_PAYMENT", "CANCELLED"] });
    expect((await slotsOf(l.h, "hoshi-ginza", 8))[0]!.capacityLeft).toBe(slot!.capacityLeft);
    expect(await release(randomUUID())).toBe(true);
    expect(await release("not-an-id")).toBe(true);
  });
});

describe("internal fields", () => {
  it("answer the payments service only", async () => {
    const input = holdInput("hoshi-ginza", { slotId: randomUUID() });
    for (const caller of [{}, { memberId: AIKO }, STAFF, { service: "stores" }]) {
      const held = await l.h.q(`mutation($i: FulfillmentHoldInput!) { holdFulfillment(input: $i) { ok } }`, { i: input }, caller);
      expect(held.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const released = await l.h.q(RELEASE, { o: input.orderId }, caller);
      expect(released.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("are @inaccessible in the SDL (hidden from the supergraph's API), the staff operations are not", async () => {
    const sdl = (await l.h.q<{ _service: { sdl: string } }>("{ _service { sdl } }")).data!._service.sdl;
    const defs = parse(sdl).definitions as (DefinitionNode & { name?: { value: string }; directives?: { name: { value: string } }[]; fields?: { name: { value: string }; directives?: { name: { value: string } }[] }[] })[];
    const hidden = (dirs?: { name: { value: string } }[]) => (dirs ?? []).some((d) => d.name.value === "inaccessible");
    for (const name of ["FulfillmentHoldInput", "FulfillmentHoldAddressInput", "FulfillmentHold"]) expect(hidden(defs.find((d) => d.name?.value === name)?.directives)).toBe(true);
    const mutation = defs.filter((d) => d.name?.value === "Mutation").flatMap((d) => d.fields ?? []);
    expect(Object.fromEntries(mutation.map((f) => [f.name.value, hidden(f.directives)]))).toEqual({
      markFulfillmentReady: false,
      handOverFulfillment: false,
      dispatchDelivery: false,
      confirmDelivery: false,
      holdFulfillment: true,
      releaseFulfillment: true,
      // Service centres: members' and counter operations are public; payments' link is internal.
      bookService: false,
      acceptServiceQuote: false,
      declineServiceQuote: false,
      receiveServiceItem: false,
      requoteServiceOrder: false,
      startServiceWork: false,
      markServiceReady: false,
      collectServiceOrder: false,
      dispatchServiceLeg: false,
      completeServiceLeg: false,
      linkServiceCharge: true,
    });
  });
});
