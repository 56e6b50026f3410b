import { demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, PAY, product, setStock, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

// One full journey per fulfilment kind, through the gateway: order → pay → points → fulfilment → ready →
// handed over (with the code, and the passport when tax-free) — every state read back in one query.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const JOURNEY = `query($id: ID!) {
  order(id: $id) {
    status taxFree total { amount } taxFreeAmount { amount }
    payments { method status amount { amount } }
    fulfillment { id type status pickupCode requiresPassportCheck store { name } trackingEvents { status } }
    member { pointsBalance pointsLedger(first: 10) { edges { node { reason points orderId source { name } } } } }
  }
}`;

interface Journey {
  order: {
    status: string;
    taxFree: boolean;
    total: { amount: number };
    taxFreeAmount: { amount: number };
    payments: { method: string; status: string; amount: { amount: number } }[];
    fulfillment: { id: string; type: string; status: string; pickupCode: string | null; requiresPassportCheck: boolean; store: { name: string } | null; trackingEvents: { status: string }[] } | null;
    member: { pointsBalance: number; pointsLedger: { edges: { node: { reason: string; points: number; orderId: string | null; source: { name: string } | null } }[] } };
  };
}

let staffKey: Record<string, string> | undefined;
const STAFF = async () => (staffKey ??= (await t.key(["orders:read", "orders:write", "fulfillment:write"])).headers);
const read = (member: string, id: string) => t.query<Journey>(JOURNEY, { id }, t.as(member)).then((r) => r.data!.order);

async function placeAndPay(member: string, input: Record<string, unknown>, tenders: (total: number) => Record<string, unknown>[]): Promise<string> {
  const placed = await t.query<CheckoutAnswer>(CHECKOUT, { input }, t.as(member));
  expect(placed.errors).toBeUndefined();
  expect(placed.data!.checkout.userErrors).toEqual([]);
  const order = placed.data!.checkout.order!;
  const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: tenders(order.total.amount), idempotencyKey: `pay-${order.id}` } }, t.as(member));
  expect(paid.data!.payOrder.userErrors).toEqual([]);
  expect(paid.data!.payOrder.order!.status).toBe("PAID");
  return order.id;
}

/** Waits until the payment.captured event reached logistics and members. */
const confirmed = (member: string, id: string) =>
  eventually(
    () => read(member, id),
    (o) => o.fulfillment?.status === "PENDING" && o.member.pointsLedger.edges.some((e) => e.node.orderId === id && e.node.reason === "PURCHASE"),
  );

const staffDo = async (mutation: string, variables: Record<string, unknown>) => {
  const res = await t.query<Record<string, { fulfillment: { status: string } | null; userErrors: { code: string }[] }>>(mutation, variables, await STAFF());
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0]!;
};
const READY = `mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`;
const HAND_OVER = `mutation($input: HandOverFulfillmentInput!) { handOverFulfillment(input: $input) { fulfillment { status } userErrors { code } } }`;

describe("journeys", () => {
  it("STORE_PICKUP, tax-free: passport registered, paid by card, handed over with code and passport", async () => {
    const item = product((p) => p.taxFree && p.temperature === "AMBIENT" && p.price > 10000);
    await setStock(t, "hoshi-ginza", item.id, 5);
    const passport = { number: "EJ1234567", fullName: "CHEN WEI", nationality: "CHN", dateOfBirth: "1990-04-01", expiresOn: "2031-04-01" };
    const reg = await t.query(`mutation($input: PassportInput!) { registerPassport(input: $input) { identity { status } userErrors { code } } }`, { input: passport }, t.as("wei"));
    expect(reg.data!.registerPassport).toEqual({ identity: { status: "VERIFIED" }, userErrors: [] });
    const slotId = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
    const id = await placeAndPay(
      "wei",
      { channel: "APP", taxFree: true, lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId }, idempotencyKey: "wei-tf-1" },
      (total) => [{ method: "CARD", amount: total, cardToken: "tok_visa" }],
    );
    const paid = await confirmed("wei", id);
    expect(paid.taxFree).toBe(true);
    expect(paid.taxFreeAmount.amount).toBe(Math.round((item.price * 10) / 110));
    expect(paid.total.amount).toBe(item.price - paid.taxFreeAmount.amount);
    expect(paid.fulfillment).toMatchObject({ type: "STORE_PICKUP", requiresPassportCheck: true, store: { name: "Hoshi Ginza Flagship" } });
    expect(paid.fulfillment!.pickupCode).toMatch(/^\d{6}$/);
    const earned = paid.member.pointsLedger.edges.find((e) => e.node.orderId === id)!.node;
    expect(earned).toMatchObject({ reason: "PURCHASE", points: Math.floor(paid.total.amount / 100), source: { name: "Hoshi Downtown Tax-Free" } });

    const fid = paid.fulfillment!.id;
    expect(await staffDo(READY, { id: fid })).toEqual({ fulfillment: { status: "READY_FOR_PICKUP" }, userErrors: [] });
    const wrong = paid.fulfillment!.pickupCode === "000000" ? "111111" : "000000";
    expect((await staffDo(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: wrong, passportNumber: passport.number } })).userErrors[0]?.code).toBe("WRONG_PICKUP_CODE");
    expect((await staffDo(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: paid.fulfillment!.pickupCode } })).userErrors[0]?.code).toBe("PASSPORT_REQUIRED");
    expect((await staffDo(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: paid.fulfillment!.pickupCode, passportNumber: "XX0000000" } })).userErrors[0]?.code).toBe("PASSPORT_MISMATCH");
    expect(await staffDo(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: paid.fulfillment!.pickupCode, passportNumber: passport.number } })).toEqual({
      fulfillment: { status: "PICKED_UP" },
      userErrors: [],
    });
    const done = await eventually(() => read("wei", id), (o) => o.status === "COMPLETED");
    expect(done.fulfillment!.trackingEvents.map((e) => e.status)).toEqual(["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP", "PICKED_UP"]);
  }, 60_000);

  it("CONVENIENCE_PICKUP: sent from the nearest store with stock, paid with wallet + points", async () => {
    const item = product((p) => p.temperature === "AMBIENT" && p.price < 3000);
    await setStock(t, "meridian-nihonbashi", item.id, 5);
    const slotId = await freeSlot(t, "corner24-kanda", tomorrowInTokyo());
    const before = await t.query<{ me: { pointsBalance: number } }>(`{ me { pointsBalance } }`, {}, t.as("aiko"));
    const id = await placeAndPay(
      "aiko",
      { channel: "ONLINE", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "CONVENIENCE_PICKUP", storeId: demoStoreId("corner24-kanda"), slotId }, idempotencyKey: "aiko-cvs-1" },
      (total) => [
        { method: "POINTS", amount: 500 },
        { method: "WALLET", amount: total - 500 },
      ],
    );
    const paid = await confirmed("aiko", id);
    expect(paid.payments.map((p) => p.method)).toEqual(["POINTS", "WALLET"]);
    expect(paid.fulfillment!.type).toBe("CONVENIENCE_PICKUP");
    const earned = Math.floor((item.price - 500) / 100);
    expect(paid.member.pointsBalance).toBe(before.data!.me.pointsBalance - 500 + earned);
    const fid = paid.fulfillment!.id;
    await staffDo(READY, { id: fid });
    expect((await staffDo(HAND_OVER, { input: { fulfillmentId: fid, pickupCode: paid.fulfillment!.pickupCode } })).fulfillment?.status).toBe("PICKED_UP");
    await eventually(() => read("aiko", id), (o) => o.status === "COMPLETED");
  }, 60_000);

  it("PICKUP_POINT: a locker inside a partner store, paid by card", async () => {
    const item = product((p) => p.temperature === "AMBIENT" && p.sku.startsWith("SOR"));
    await setStock(t, "hoshi-ginza", item.id, 5);
    const slotId = await freeSlot(t, "corner24-tsukiji-locker", tomorrowInTokyo());
    const id = await placeAndPay(
      "minh",
      { channel: "ONLINE", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "PICKUP_POINT", storeId: demoStoreId("corner24-tsukiji-locker"), slotId }, idempotencyKey: "minh-locker-1" },
      (total) => [{ method: "CARD", amount: total, cardToken: "tok_jcb" }],
    );
    const paid = await confirmed("minh", id);
    await staffDo(READY, { id: paid.fulfillment!.id });
    await staffDo(HAND_OVER, { input: { fulfillmentId: paid.fulfillment!.id, pickupCode: paid.fulfillment!.pickupCode } });
    const done = await eventually(() => read("minh", id), (o) => o.status === "COMPLETED");
    expect(done.fulfillment).toMatchObject({ type: "PICKUP_POINT", status: "PICKED_UP", store: { name: "Corner24 Tsukiji Pickup Locker" } });
  }, 60_000);

  it("HOME_DELIVERY: frozen goods from the nearest delivering store, prepaid card + card, tracked to the door", async () => {
    const item = product((p) => p.temperature === "FROZEN");
    await setStock(t, "freshway-shinagawa", item.id, 20);
    const bind = await t.query(`mutation { bindPrepaidCard(input: { number: "6012000000002002", pin: "2002" }) { wallet { prepaidCards { id last4 balance { amount } } } userErrors { code } } }`, {}, t.as("sofia"));
    const card = (bind.data as { bindPrepaidCard: { wallet: { prepaidCards: { id: string; last4: string }[] } } }).bindPrepaidCard.wallet.prepaidCards.find((c) => c.last4 === "2002")!;
    const address = { recipient: "Sofia Rossi", line1: "2-1-1 Konan", city: "Minato-ku, Tokyo", postalCode: "108-0075", country: "JP", lat: 35.629, lng: 139.74 };
    const id = await placeAndPay(
      "sofia",
      { channel: "APP", lines: [{ productId: item.id, quantity: 6 }], fulfillment: { type: "HOME_DELIVERY", address }, idempotencyKey: "sofia-home-1" },
      (total) => [
        { method: "PREPAID_CARD", amount: Math.min(total - 100, 5000), prepaidCardId: card.id },
        { method: "CARD", amount: total - Math.min(total - 100, 5000), cardToken: "tok_visa" },
      ],
    );
    const paid = await confirmed("sofia", id);
    expect(paid.fulfillment).toMatchObject({ type: "HOME_DELIVERY", pickupCode: null, store: { name: "FreshWay Shinagawa" } });
    const fid = paid.fulfillment!.id;
    await staffDo(`mutation($id: ID!) { dispatchDelivery(fulfillmentId: $id, note: "Cool van 3") { fulfillment { status } userErrors { code } } }`, { id: fid });
    await staffDo(`mutation($id: ID!) { confirmDelivery(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`, { id: fid });
    const done = await eventually(() => read("sofia", id), (o) => o.status === "COMPLETED");
    expect(done.fulfillment!.trackingEvents.map((e) => e.status)).toEqual(["AWAITING_PAYMENT", "PENDING", "OUT_FOR_DELIVERY", "DELIVERED"]);
  }, 60_000);
});
