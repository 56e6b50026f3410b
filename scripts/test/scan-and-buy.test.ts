import { deliveryWindow, demoStoreId, greatCircleKm } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, PAY, product, rowCount, setStock, stockOf, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// Scan-and-buy and "deliver from the nearest store that has everything", through the gateway over HTTP.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const SCAN = `query($store: ID!, $barcode: String!) {
  store(id: $store) { name scan(barcode: $barcode) { product { sku } price { amount currency } quantity sellable } }
}`;
type Scan = { store: { name: string; scan: { product: { sku: string }; price: { amount: number; currency: string }; quantity: number; sellable: boolean } | null } };

describe("scanning a barcode in a store", () => {
  const tint = product((p) => p.name === "Sakura Lip Tint");

  it("answers the product, its price there, the shelf's units and whether it can be bought there", async () => {
    await setStock(t, "hoshi-ginza", tint.id, 7);
    const res = await t.query<Scan>(SCAN, { store: demoStoreId("hoshi-ginza"), barcode: tint.barcode });
    expect(res.errors).toBeUndefined();
    expect(res.data!.store.scan).toEqual({ product: { sku: tint.sku }, price: { amount: tint.price, currency: "JPY" }, quantity: 7, sellable: true });
  });

  it("says a showroom's display units and an empty shelf cannot be bought", async () => {
    await setStock(t, "lumen-omotesando", tint.id, 2);
    await setStock(t, "hoshi-akihabara", tint.id, 0);
    const showroom = await t.query<Scan>(SCAN, { store: demoStoreId("lumen-omotesando"), barcode: tint.barcode });
    expect(showroom.data!.store.scan).toMatchObject({ quantity: 2, sellable: false });
    const empty = await t.query<Scan>(SCAN, { store: demoStoreId("hoshi-akihabara"), barcode: tint.barcode });
    expect(empty.data!.store.scan).toMatchObject({ quantity: 0, sellable: false });
  });

  it("is null for an unknown barcode and BAD_USER_INPUT for one that is not a barcode", async () => {
    const unknown = await t.query<Scan>(SCAN, { store: demoStoreId("hoshi-ginza"), barcode: "4900000000000" });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.store.scan).toBeNull();
    const bad = await t.query<Scan>(SCAN, { store: demoStoreId("hoshi-ginza"), barcode: "abc" });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

const QUOTE = `query($lines: [DeliveryQuoteLineInput!]!, $to: GeoPointInput!, $withinKm: Float) {
  deliveryQuote(lines: $lines, to: $to, withinKm: $withinKm) { store { id name } distanceKm earliest latest }
}`;
type Quote = { deliveryQuote: { store: { id: string; name: string }; distanceKm: number; earliest: string; latest: string } | null };

describe("deliver from the nearest store within N km that has everything", () => {
  // Tokyo Station: Meridian Nihonbashi (~0.7 km) and Hoshi Ginza (~1.1 km) both deliver.
  const to = { lat: 35.6812, lng: 139.7671 };
  const knife = product((p) => p.name === "Santoku Knife 165mm");
  const teapot = product((p) => p.name === "Cast Iron Teapot");

  beforeAll(async () => {
    await setStock(t, "meridian-nihonbashi", knife.id, 3);
    await setStock(t, "meridian-nihonbashi", teapot.id, 0);
    await setStock(t, "hoshi-ginza", knife.id, 2);
    await setStock(t, "hoshi-ginza", teapot.id, 4);
  });

  it("picks the nearest store that holds every line, and promises the window checkout records", async () => {
    const before = new Date();
    const one = await t.query<Quote>(QUOTE, { lines: [{ productId: knife.id, quantity: 2 }], to, withinKm: 5 });
    const after = new Date();
    expect(one.errors).toBeUndefined();
    const quote = one.data!.deliveryQuote!;
    expect(quote.store.id).toBe(demoStoreId("meridian-nihonbashi"));
    expect(quote.distanceKm).toBeCloseTo(greatCircleKm(to, { lat: 35.6841, lng: 139.7737 }), 2);
    const earliest = new Date(quote.earliest).getTime();
    expect(earliest).toBeGreaterThanOrEqual(deliveryWindow(quote.distanceKm, before).earliest.getTime());
    expect(earliest).toBeLessThanOrEqual(deliveryWindow(quote.distanceKm, after).earliest.getTime());
    expect(new Date(quote.latest).getTime() - earliest).toBe(2 * 3600_000);

    // Nihonbashi has no teapot: the whole basket comes from Ginza, the nearest store that has everything.
    const both = await t.query<Quote>(QUOTE, { lines: [{ productId: knife.id, quantity: 2 }, { productId: teapot.id, quantity: 1 }], to, withinKm: 5 });
    expect(both.data!.deliveryQuote!.store.id).toBe(demoStoreId("hoshi-ginza"));
    // Lines of one product add up: 3 knives are more than Ginza's 2.
    const split = await t.query<Quote>(QUOTE, { lines: [{ productId: knife.id, quantity: 2 }, { productId: knife.id, quantity: 1 }, { productId: teapot.id, quantity: 1 }], to, withinKm: 5 });
    expect(split.data!.deliveryQuote?.store.id).not.toBe(demoStoreId("hoshi-ginza"));
  });

  const DELIVER = `mutation($input: CheckoutInput!) {
    checkout(input: $input) { order { id fulfillment { type store { id } promisedWindow { earliest latest } } } userErrors { code field } }
  }`;
  type Delivered = { checkout: { order: { id: string; fulfillment: { type: string; store: { id: string }; promisedWindow: { earliest: string; latest: string } } } | null; userErrors: { code: string; field: string[] }[] } };
  const address = { recipient: "Aiko Tanaka", line1: "1-9-1 Marunouchi", city: "Tokyo", postalCode: "100-0005", country: "JP", ...to };
  const delivery = (maxDistanceKm: number | null, key: string, quantity = 1) => ({
    lines: [{ productId: knife.id, quantity }],
    channel: "APP",
    fulfillment: { type: "HOME_DELIVERY", address, ...(maxDistanceKm === null ? {} : { maxDistanceKm }) },
    idempotencyKey: key,
  });

  it("a HOME_DELIVERY checkout within N km is sent by the quoted store and records the promised window", async () => {
    const quoted = (await t.query<Quote>(QUOTE, { lines: [{ productId: knife.id, quantity: 1 }], to, withinKm: 5 })).data!.deliveryQuote!;
    const res = await t.query<Delivered>(DELIVER, { input: delivery(5, "near-1") }, t.as("aiko"));
    expect(res.data!.checkout.userErrors).toEqual([]);
    const f = res.data!.checkout.order!.fulfillment;
    expect(f).toMatchObject({ type: "HOME_DELIVERY", store: { id: quoted.store.id } });
    // Same rule, same distance: the order's window is the quote's, or a half hour later if the clock moved on.
    const shift = new Date(f.promisedWindow.earliest).getTime() - new Date(quoted.earliest).getTime();
    expect([0, 30 * 60_000]).toContain(shift);
    expect(new Date(f.promisedWindow.latest).getTime() - new Date(f.promisedWindow.earliest).getTime()).toBe(2 * 3600_000);
  });

  it("no store within N km with everything is OUT_OF_STOCK; a bad distance is INVALID_DISTANCE; nothing is written", async () => {
    const orders = () => rowCount(t, "payments.customer_order");
    const before = await orders();
    const far = await t.query<Delivered>(DELIVER, { input: delivery(0.5, "near-2") }, t.as("aiko"));
    expect(far.data!.checkout.userErrors.map((e) => e.code)).toEqual(["OUT_OF_STOCK"]);
    for (const km of [0, -1, 51]) {
      const bad = await t.query<Delivered>(DELIVER, { input: delivery(km, `near-bad-${km}`) }, t.as("aiko"));
      expect(bad.data!.checkout.userErrors).toEqual([{ code: "INVALID_DISTANCE", field: ["input", "fulfillment", "maxDistanceKm"] }]);
    }
    const pickup = await t.query<Delivered>(DELIVER, {
      input: { lines: [{ productId: knife.id, quantity: 1 }], channel: "APP", fulfillment: { type: "STORE_PICKUP", storeId: demoStoreId("hoshi-ginza"), slotId: "x", maxDistanceKm: 5 }, idempotencyKey: "near-pickup" },
    }, t.as("aiko"));
    expect(pickup.data!.checkout.userErrors.map((e) => e.code)).toContain("INVALID_DISTANCE");
    expect(await orders()).toBe(before);
  });

  it("is null when no store within N km has everything", async () => {
    const near = await t.query<Quote>(QUOTE, { lines: [{ productId: teapot.id, quantity: 1 }], to, withinKm: 0.9 });
    expect(near.errors).toBeUndefined();
    expect(near.data!.deliveryQuote).toBeNull();
  });

  it("refuses bad input with BAD_USER_INPUT", async () => {
    for (const variables of [
      { lines: [], to },
      { lines: [{ productId: knife.id, quantity: 0 }], to },
      { lines: [{ productId: "nope", quantity: 1 }], to },
      { lines: [{ productId: knife.id, quantity: 1 }], to: { lat: 91, lng: 0 } },
      { lines: [{ productId: knife.id, quantity: 1 }], to, withinKm: 51 },
      { lines: [{ productId: knife.id, quantity: 1 }], to, withinKm: 0 },
    ]) {
      const res = await t.query<Quote>(QUOTE, variables);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe("BAD_USER_INPUT");
    }
  });
});

describe("scan-and-buy: an in-app cart paid in the store", () => {
  const cream = product((p) => p.name === "Yuzu Hand Cream");

  it("is checked out with channel IN_STORE_SCAN, paid in the app, completed at once and takes the shelf's stock", async () => {
    await setStock(t, "hoshi-shibuya", cream.id, 5);
    const scanned = await t.query<Scan>(SCAN, { store: demoStoreId("hoshi-shibuya"), barcode: cream.barcode });
    expect(scanned.data!.store.scan).toMatchObject({ quantity: 5, sellable: true });
    const placed = await t.query<CheckoutAnswer>(CHECKOUT, {
      input: { lines: [{ productId: cream.id, quantity: 2, storeId: demoStoreId("hoshi-shibuya") }], channel: "IN_STORE_SCAN", idempotencyKey: "scan-cart-1" },
    }, t.as("wei"));
    expect(placed.data!.checkout.userErrors).toEqual([]);
    const order = placed.data!.checkout.order!;
    expect(order.total).toEqual({ amount: 2 * cream.price, currency: "JPY" });
    const paid = await t.query<PayAnswer>(PAY, { input: { orderId: order.id, tenders: [{ method: "CARD", amount: order.total.amount, cardToken: "tok_visa" }], idempotencyKey: "scan-pay-1" } }, t.as("wei"));
    expect(paid.data!.payOrder.userErrors).toEqual([]);
    expect(paid.data!.payOrder.order!.status).toBe("COMPLETED");
    expect(await stockOf(t, "hoshi-shibuya", cream.id)).toBe(3);
  });

  it("the exit check shows the paid receipt to the store's gate, and only there", async () => {
    const EXIT = `query($store: ID!, $order: ID!) { exitCheck(storeId: $store, orderId: $order) { verdict order { number status lines { quantity product { id } } payments { method status } } } }`;
    type Exit = { exitCheck: { verdict: string; order: { number: string; status: string; lines: { quantity: number; product: { id: string } }[]; payments: { method: string; status: string }[] } | null } };
    await setStock(t, "hoshi-shibuya", cream.id, 5);
    const unpaid = (await t.query<CheckoutAnswer>(CHECKOUT, {
      input: { lines: [{ productId: cream.id, quantity: 1, storeId: demoStoreId("hoshi-shibuya") }], channel: "IN_STORE_SCAN", idempotencyKey: "scan-cart-2" },
    }, t.as("wei"))).data!.checkout.order!;
    const paid = (await t.query<CheckoutAnswer>(CHECKOUT, {
      input: { lines: [{ productId: cream.id, quantity: 1, storeId: demoStoreId("hoshi-shibuya") }], channel: "IN_STORE_SCAN", idempotencyKey: "scan-cart-3" },
    }, t.as("wei"))).data!.checkout.order!;
    await t.query<PayAnswer>(PAY, { input: { orderId: paid.id, tenders: [{ method: "CARD", amount: paid.total.amount, cardToken: "tok_visa" }], idempotencyKey: "scan-pay-3" } }, t.as("wei"));

    const gate = (await t.key(["orders:read"], "hoshi", { store: "hoshi-shibuya" })).headers;
    const ok = await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: paid.id }, gate);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.exitCheck).toEqual({
      verdict: "PAID",
      order: { number: paid.number, status: "COMPLETED", lines: [{ quantity: 1, product: { id: cream.id } }], payments: [{ method: "CARD", status: "CAPTURED" }] },
    });
    expect((await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: unpaid.id }, gate)).data!.exitCheck.verdict).toBe("NOT_PAID");
    expect((await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: "00000000-0000-4000-8000-000000000000" }, gate)).data!.exitCheck).toEqual({ verdict: "UNKNOWN_ORDER", order: null });

    // Another store's gate learns nothing about the order; it cannot check exits at a store it is not bound to.
    const ginzaGate = (await t.key(["orders:read"], "hoshi", { store: "hoshi-ginza" })).headers;
    expect((await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-ginza"), order: paid.id }, ginzaGate)).data!.exitCheck).toEqual({ verdict: "OTHER_STORE", order: null });
    const elsewhere = await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: paid.id }, ginzaGate);
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const rival = await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: paid.id }, (await t.key(["orders:read"], "meridian")).headers);
    expect(rival.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Members show the receipt; they do not check exits.
    expect((await t.query<Exit>(EXIT, { store: demoStoreId("hoshi-shibuya"), order: paid.id }, t.as("wei"))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const bad = await t.query<Exit>(EXIT, { store: "nope", order: paid.id }, gate);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
