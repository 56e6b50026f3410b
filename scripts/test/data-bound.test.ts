import { randomUUID } from "node:crypto";
import { demoMemberId, demoRetailerId, demoStoreId, type Scope } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, freeSlot, PAY, product, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { eventually, startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

/**
 * Partner keys are bound to their retailer's data, in the subgraph that owns it: a key of retailer A, holding every
 * partner scope, gets nothing of retailer B's stores, stock, orders, fulfilments or loyalty-club members — through
 * the gateway, for every partner-bound query and mutation — while it works on its own.
 */
let t: TestSupergraph;
const ALL_PARTNER_SCOPES: Scope[] = ["inventory:read", "inventory:write", "orders:read", "orders:write", "fulfillment:write", "payments:write", "members:read", "members:pii", "loyalty:write"];
const item = product((p) => p.sku === "HAN-006");
type Side = { retailer: string; store: string; key: Record<string, string>; orderId: string; fulfillmentId: string };
const sides: Record<"meridian" | "hoshi", Side> = {} as never;

async function paidPickup(storeKey: string): Promise<{ orderId: string; fulfillmentId: string }> {
  await setStock(t, storeKey, item.id, 10);
  const slotId = await freeSlot(t, storeKey, tomorrowInTokyo());
  const placed = await t.query<CheckoutAnswer>(
    CHECKOUT,
    { input: { channel: "APP", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId(storeKey), slotId }, idempotencyKey: randomUUID() } },
    t.as("aiko"),
  );
  const order = placed.data!.checkout.order!;
  const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: randomUUID() } }, t.as("aiko"));
  expect(paid.data!.payOrder.userErrors).toEqual([]);
  const read = async () => (await t.query(`query($id: ID!) { order(id: $id) { fulfillment { id status } } }`, { id: order.id }, t.as("aiko"))).data!.order.fulfillment;
  const fulfillment = await eventually(read, (f) => f?.status === "PENDING");
  return { orderId: order.id, fulfillmentId: fulfillment.id };
}

beforeAll(async () => {
  t = await startTestSupergraph();
  for (const [retailer, store] of [["meridian", "meridian-nihonbashi"], ["hoshi", "hoshi-ginza"]] as const) {
    const placed = await paidPickup(store);
    sides[retailer] = { retailer, store, key: (await t.key(ALL_PARTNER_SCOPES, retailer)).headers, ...placed };
  }
}, 180_000);
afterAll(() => t?.stop());

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

describe.each([
  ["meridian", "hoshi"],
  ["hoshi", "meridian"],
] as const)("%s's key and %s's data", (mine, theirs) => {
  const me = () => sides[mine];
  const them = () => sides[theirs];

  it("stock: reads and sets its own stores' only", async () => {
    const STOCK = `query($id: ID!) { store(id: $id) { name stock(first: 5) { edges { node { quantity } } } } }`;
    expect((await t.query(STOCK, { id: demoStoreId(me().store) }, me().key)).data!.store.stock.edges.length).toBeGreaterThan(0);
    const foreign = await t.query(STOCK, { id: demoStoreId(them().store) }, me().key);
    expect(foreign.data!.store.stock).toBeNull();
    expect(codes(foreign)).toEqual(["FORBIDDEN"]);

    const SET = `mutation($i: SetStockLevelInput!) { setStockLevel(input: $i) { stockItem { quantity } userErrors { code } } }`;
    const before = await stockOf(t, them().store, item.id);
    const refused = await t.query(SET, { i: { storeId: demoStoreId(them().store), productId: item.id, quantity: 0 } }, me().key);
    expect(refused.data!.setStockLevel).toEqual({ stockItem: null, userErrors: [{ code: "STORE_NOT_FOUND" }] });
    expect(await stockOf(t, them().store, item.id)).toBe(before);
    const own = await t.query(SET, { i: { storeId: demoStoreId(me().store), productId: item.id, quantity: 9 } }, me().key);
    expect(own.data!.setStockLevel).toEqual({ stockItem: { quantity: 9 }, userErrors: [] });
  });

  it("orders: reads its own, not theirs", async () => {
    const ORDER = `query($id: ID!) { order(id: $id) { id member { id } } }`;
    expect((await t.query(ORDER, { id: me().orderId }, me().key)).data!.order).toMatchObject({ id: me().orderId });
    expect((await t.query(ORDER, { id: them().orderId }, me().key)).data).toEqual({ order: null });

    const LIST = `query($id: ID!) { retailer(id: $id) { name orders(first: 50) { edges { node { id } } } } }`;
    const ownList = await t.query(LIST, { id: demoRetailerId(me().retailer) }, me().key);
    const ids = ownList.data!.retailer.orders.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(me().orderId);
    expect(ids).not.toContain(them().orderId);
    const foreignList = await t.query(LIST, { id: demoRetailerId(them().retailer) }, me().key);
    expect(foreignList.data!.retailer).toMatchObject({ orders: null });
    expect(codes(foreignList)).toEqual(["FORBIDDEN"]);
  });

  it("fulfilments: neither reads nor moves theirs", async () => {
    const READ = `query($id: ID!) { fulfillment(id: $id) { id status } }`;
    expect((await t.query(READ, { id: them().fulfillmentId }, me().key)).data).toEqual({ fulfillment: null });
    expect((await t.query(READ, { id: me().fulfillmentId }, me().key)).data!.fulfillment).toMatchObject({ id: me().fulfillmentId });
    const READY = `mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`;
    expect((await t.query(READY, { id: them().fulfillmentId }, me().key)).data!.markFulfillmentReady).toEqual({ fulfillment: null, userErrors: [{ code: "NOT_FOUND" }] });
    const HAND_OVER = `mutation($i: HandOverFulfillmentInput!) { handOverFulfillment(input: $i) { userErrors { code } } }`;
    expect((await t.query(HAND_OVER, { i: { fulfillmentId: them().fulfillmentId, pickupCode: "000000" } }, me().key)).data!.handOverFulfillment.userErrors).toEqual([{ code: "NOT_FOUND" }]);
    for (const op of ["dispatchDelivery", "confirmDelivery"]) {
      const res = await t.query(`mutation($id: ID!) { ${op}(fulfillmentId: $id) { userErrors { code } } }`, { id: them().fulfillmentId }, me().key);
      expect(res.data![op].userErrors).toEqual([{ code: "NOT_FOUND" }]);
    }
    const status = (await t.query(READ, { id: them().fulfillmentId }, them().key)).data!.fulfillment.status;
    expect(status).toBe("PENDING");
  });

  it("payments: neither captures nor refunds theirs", async () => {
    const CAPTURE = `mutation($i: CapturePaymentInput!) { capturePayment(input: $i) { userErrors { code } } }`;
    const REFUND = `mutation($i: RefundOrderInput!) { refundOrder(input: $i) { order { status } userErrors { code } } }`;
    expect((await t.query(CAPTURE, { i: { orderId: them().orderId, idempotencyKey: randomUUID() } }, me().key)).data!.capturePayment.userErrors).toEqual([{ code: "ORDER_NOT_FOUND" }]);
    expect((await t.query(REFUND, { i: { orderId: them().orderId, idempotencyKey: randomUUID() } }, me().key)).data!.refundOrder).toEqual({ order: null, userErrors: [{ code: "ORDER_NOT_FOUND" }] });
    const status = (await t.query(`query($id: ID!) { order(id: $id) { status } }`, { id: them().orderId }, t.as("aiko"))).data!.order.status;
    expect(status).toBe("PAID");
  });
});

describe("loyalty clubs", () => {
  const MEMBER = `query($id: ID!) { member(id: $id) { displayName identity { status } } }`;
  const ADJUST = `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { userErrors { code } } }`;
  const adjust = (memberId: string, key: Record<string, string>) => t.query(ADJUST, { i: { memberId, points: 5, note: "goodwill", idempotencyKey: randomUUID() } }, key);

  it("Meridian's key reaches its club's members (Aiko), not others (Wei); Hoshi runs no club", async () => {
    expect((await t.query(MEMBER, { id: demoMemberId("aiko") }, sides.meridian.key)).data!.member).toMatchObject({ displayName: "Aiko Tanaka" });
    expect((await t.query(MEMBER, { id: demoMemberId("wei") }, sides.meridian.key)).data).toEqual({ member: null });
    expect((await t.query(MEMBER, { id: demoMemberId("aiko") }, sides.hoshi.key)).data).toEqual({ member: null });
    expect((await adjust(demoMemberId("aiko"), sides.meridian.key)).data!.adjustPoints.userErrors).toEqual([]);
    expect((await adjust(demoMemberId("wei"), sides.meridian.key)).data!.adjustPoints.userErrors).toEqual([{ code: "UNKNOWN_MEMBER" }]);
    expect((await adjust(demoMemberId("aiko"), sides.hoshi.key)).data!.adjustPoints.userErrors).toEqual([{ code: "UNKNOWN_MEMBER" }]);
  });
});

describe("its own counter", () => {
  it("a partner key hands over its own store's order end to end", async () => {
    const own = sides.meridian;
    const ready = await t.query(`mutation($id: ID!) { markFulfillmentReady(fulfillmentId: $id) { fulfillment { status } userErrors { code } } }`, { id: own.fulfillmentId }, own.key);
    expect(ready.data!.markFulfillmentReady).toEqual({ fulfillment: { status: "READY_FOR_PICKUP" }, userErrors: [] });
  });
});

describe("orders placed through a partner's app", () => {
  it("a member booking with the agency's key in X-Api-Key: the agency's keys read the order, other retailers' do not", async () => {
    const agency = await t.key(["orders:read", "orders:write"], "lumen");
    await setStock(t, "hoshi-ginza", item.id, 10);
    const slotId = await freeSlot(t, "hoshi-ginza", tomorrowInTokyo());
    const booking = { ...t.as("wei"), "x-api-key": agency.secret };
    const placed = await t.query<CheckoutAnswer>(
      CHECKOUT,
      { input: { channel: "PARTNER_AGENCY", lines: [{ productId: item.id, quantity: 1 }], fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId }, idempotencyKey: randomUUID() } },
      booking,
    );
    const orderId = placed.data!.checkout.order!.id;
    const ORDER = `query($id: ID!) { order(id: $id) { id channel member { id } } }`;
    expect((await t.query(ORDER, { id: orderId }, agency.headers)).data!.order).toMatchObject({ id: orderId, channel: "PARTNER_AGENCY" });
    expect((await t.query(ORDER, { id: orderId }, booking)).data!.order.id).toBe(orderId); // still the member's own order
    expect((await t.query(ORDER, { id: orderId }, sides.hoshi.key)).data!.order.id).toBe(orderId); // credited to Hoshi's store
    expect((await t.query(ORDER, { id: orderId }, sides.meridian.key)).data).toEqual({ order: null });
    const list = await t.query(`query($id: ID!) { retailer(id: $id) { orders(first: 10) { edges { node { id } } } } }`, { id: demoRetailerId("lumen") }, agency.headers);
    expect(list.data!.retailer.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(orderId);
  });

  it("only a partner key holding orders:write can act for members", async () => {
    for (const key of [await t.key(["orders:write"]), await t.key(["orders:read"], "lumen")]) {
      const res = await t.query(`{ me { displayName } }`, {}, { ...t.as("wei"), "x-api-key": key.secret });
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
    }
    const revoked = await t.query(`{ me { displayName } }`, {}, { ...t.as("wei"), "x-api-key": "o2o_abcdefgh_" + "A".repeat(43) });
    expect(revoked.status).toBe(401);
  });
});
