import { randomUUID } from "node:crypto";
import { demoMemberId, envelope, localWiring, withSqlTransaction, type EventEnvelope, type Wiring } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { expect } from "vitest";
import { createLogisticsSubgraph } from "../src/server.ts";
import { SLOTS, store, storeReps, tokyoDate } from "./support.ts";

/** Shared by the lifecycle tests: a logistics subgraph on its own wiring, holds made as payments, events published as payments. */
export interface Lifecycle {
  h: TestSubgraph;
  wiring: Wiring;
  /** Every event relayed to the bus (an observer consumer group). */
  relayed: EventEnvelope[];
  stop(): Promise<void>;
}

export async function startLifecycle(wiring: Wiring = localWiring()): Promise<Lifecycle> {
  const h = await startTestSubgraph((target) => createLogisticsSubgraph(target, wiring));
  const relayed: EventEnvelope[] = [];
  const observer = wiring.bus.subscribe("test-observer", async (e) => void relayed.push(e));
  return {
    h,
    wiring,
    relayed,
    stop: async () => {
      await observer.stop();
      await h.stop();
    },
  };
}

export const PAYMENTS = { service: "payments" };
/** A platform API key at the counter (partner keys are bound to their stores: scripts/test/data-bound.test.ts). */
export const STAFF = { keyId: "counter-key", scopes: ["fulfillment:write", "orders:read"] };
export const AIKO = demoMemberId("aiko");
export const WEI = demoMemberId("wei");

export interface Slot {
  id: string;
  startsAt: string;
  capacity: number;
  capacityLeft: number;
}

/** A store's slots `offset` days from today (Tokyo), read back over GraphQL. */
export async function slotsOf(h: TestSubgraph, storeKey: string, offset = 1): Promise<Slot[]> {
  const res = await h.q<{ _entities: { pickupSlots: Slot[] }[] }>(SLOTS, { r: storeReps([store(storeKey)]), date: tokyoDate(offset) });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data._entities[0]!.pickupSlots;
}

/** The stores subgraph's facts about demo stores, as payments passes them along. */
export const FACTS = {
  "hoshi-ginza": { storeFormat: "FLAGSHIP", storeCapabilities: ["TAX_FREE", "PICKUP", "HOME_DELIVERY"] },
  "hoshi-ueno": { storeFormat: "FLAGSHIP", storeCapabilities: ["TAX_FREE", "PICKUP"] },
  "corner24-kanda": { storeFormat: "CONVENIENCE", storeCapabilities: ["PICKUP", "CHILLED_STORAGE"] },
  "corner24-tsukiji-locker": { storeFormat: "PICKUP_POINT", storeCapabilities: ["PICKUP", "CHILLED_STORAGE"] },
  "freshway-shinagawa": { storeFormat: "SUPERMARKET", storeCapabilities: ["PICKUP", "CHILLED_STORAGE", "FROZEN_STORAGE", "HOME_DELIVERY"] },
  "lumen-omotesando": { storeFormat: "SHOWROOM", storeCapabilities: ["DISPLAY_ONLY"] },
} as const;
export type StoreKey = keyof typeof FACTS;

export const ADDRESS = { recipient: "Aiko Tanaka", line1: "2-5-8 Konan", city: "Minato-ku", postalCode: "108-0075", country: "JP" };

/** A hold input for a fresh order: STORE_PICKUP of ambient goods at `storeKey` (slot to be given), Aiko's. */
export function holdInput(storeKey: StoreKey = "hoshi-ginza", extra: Record<string, unknown> = {}) {
  return {
    orderId: randomUUID(),
    memberId: AIKO,
    type: "STORE_PICKUP",
    storeId: store(storeKey),
    slotId: null as string | null,
    temperatureClasses: ["AMBIENT"],
    taxFree: false,
    ...FACTS[storeKey],
    address: null as typeof ADDRESS | null,
    ...extra,
  };
}
export type HoldInput = ReturnType<typeof holdInput>;

export interface HoldAnswer {
  ok: boolean;
  code: string | null;
  message: string | null;
  fulfillmentId: string | null;
}

const HOLD = `mutation($i: FulfillmentHoldInput!) { holdFulfillment(input: $i) { ok code message fulfillmentId } }`;

export async function hold(h: TestSubgraph, input: Record<string, unknown>, caller: Record<string, unknown> = PAYMENTS): Promise<HoldAnswer> {
  const res = await h.q<{ holdFulfillment: HoldAnswer }>(HOLD, { i: input }, caller);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.holdFulfillment;
}

export const sql = <R>(h: TestSubgraph, q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));

export const rowsOf = async (h: TestSubgraph, orderId: string) =>
  (await sql<{ n: number }>(h, `SELECT count(*)::int AS n FROM logistics.fulfillment WHERE order_id = $1`, [orderId]))[0]!.n;

/** Every fulfilment and tracking event: a refusal must leave both counts as they were. */
export const totals = async (h: TestSubgraph) =>
  (await sql<{ f: number; t: number }>(h, `SELECT (SELECT count(*)::int FROM logistics.fulfillment) AS f, (SELECT count(*)::int FROM logistics.tracking_event) AS t`))[0]!;

/** Polls (up to 5 s) until `check` holds. */
export async function until(check: () => Promise<boolean>, what = "condition"): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const FULFILLMENT = `query($id: ID!) { fulfillment(id: $id) { id type status pickupCode requiresPassportCheck order { id } trackingEvents { status note } } }`;

export interface FulfillmentView {
  id: string;
  type: string;
  status: string;
  pickupCode: string | null;
  requiresPassportCheck: boolean;
  order: { id: string };
  trackingEvents: { status: string; note: string | null }[];
}

/** A fulfilment as staff read it (never with its pickup code). */
export async function staffView(h: TestSubgraph, id: string): Promise<FulfillmentView> {
  const res = await h.q<{ fulfillment: FulfillmentView }>(FULFILLMENT, { id }, STAFF);
  if (!res.data?.fulfillment) throw new Error(JSON.stringify(res.errors ?? "no fulfilment"));
  return res.data.fulfillment;
}

/** The pickup code as the order's member sees it (Order.fulfillment through _entities). */
export async function memberCode(h: TestSubgraph, orderId: string, memberId: string): Promise<string | null> {
  const res = await h.q<{ _entities: { fulfillment: { pickupCode: string | null } | null }[] }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { fulfillment { pickupCode } } } }`,
    { r: [{ __typename: "Order", id: orderId }] },
    { memberId },
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data._entities[0]!.fulfillment?.pickupCode ?? null;
}

/** Payments announces a capture; resolves once the hold is PENDING. */
export async function pay(l: Lifecycle, orderId: string, fulfillmentId: string): Promise<EventEnvelope> {
  const captured = envelope("payments", "payment.captured", { orderId, memberId: AIKO, currency: "JPY", amount: 1000 });
  await l.wiring.bus.publish([captured]);
  await until(async () => (await staffView(l.h, fulfillmentId)).status === "PENDING", "PENDING");
  return captured;
}

/** A paid fulfilment of a fresh order: held at `storeKey`'s first slot `offset` days ahead, then captured. */
export async function paidPickup(l: Lifecycle, storeKey: StoreKey = "hoshi-ginza", offset = 1, extra: Record<string, unknown> = {}) {
  const [slot] = await slotsOf(l.h, storeKey, offset);
  const input = holdInput(storeKey, { slotId: slot!.id, ...extra });
  const answer = await hold(l.h, input);
  expect(answer).toMatchObject({ ok: true });
  await pay(l, input.orderId, answer.fulfillmentId!);
  return { input, fulfillmentId: answer.fulfillmentId! };
}

export const READY = `mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { id status } userErrors { code field } } }`;
export const HAND_OVER = `mutation($i: HandOverFulfillmentInput!) { handOverFulfillment(input: $i) { fulfillment { id status } userErrors { code field } } }`;
export const DISPATCH = `mutation($id: ID!, $note: String) { dispatchDelivery(fulfillmentId: $id, note: $note) { fulfillment { id status } userErrors { code field } } }`;
export const DELIVERED = `mutation($id: ID!) { confirmDelivery(fulfillmentId: $id) { fulfillment { id status } userErrors { code field } } }`;

export interface Payload {
  fulfillment: { id: string; status: string } | null;
  userErrors: { code: string; field: string[] | null }[];
}

/** A staff mutation's payload (the only root field of `query`). */
export async function staffDo(h: TestSubgraph, query: string, variables: Record<string, unknown>, caller: Record<string, unknown> = STAFF): Promise<Payload> {
  const res = await h.q<Record<string, Payload>>(query, variables, caller);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data)[0]!;
}

/** A wrong code that is certainly not `code`. */
export const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");
