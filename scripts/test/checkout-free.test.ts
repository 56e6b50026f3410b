import { demoMemberId, demoStoreId } from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEntryPass } from "../../subgraphs/payments/src/checkout-free/entry-pass.ts";
import { product, rowCount, setStock } from "./commerce.ts";
import { eventually, startTestSupergraph, type TestKey, type TestSupergraph } from "./support.ts";

// Checkout-free stores through the gateway over HTTP: device keys bound to one store, entry pass, shopping session,
// shelf sensor events, the exit charge (once), stock, points, the e-receipt and its email, and a disputed line.
let t: TestSupergraph;
let roppongiGate: TestKey;
let kandaGate: TestKey;
const ROPPONGI = demoStoreId("corner24-roppongi");
const KANDA = demoStoreId("corner24-kanda");
const items = ["Origami Kit", "Yuzu Candy", "Matcha KitKat Box", "Black Sesame Cookies", "Rice Crackers Assortment"].map((name) => product((p) => p.name === name));

beforeAll(async () => {
  t = await startTestSupergraph();
  for (const item of items) await setStock(t, "corner24-roppongi", item.id, 10);
  // A second checkout-free store (store B) for the binding tests.
  await t.sql(`UPDATE stores.store SET capabilities = array_append(capabilities, 'CHECKOUT_FREE') WHERE id = $1`, [KANDA]);
  await setStock(t, "corner24-kanda", items[0]!.id, 10);
  roppongiGate = await t.key(["sensors:write"], "corner24", { store: "corner24-roppongi" });
  kandaGate = await t.key(["sensors:write"], "corner24", { store: "corner24-kanda" });
}, 120_000);
afterAll(() => t?.stop());

const SET_METHOD = `mutation($i: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $i) { defaultPaymentMethod { method cardToken } userErrors { code field } } }`;
const ISSUE = `mutation($s: ID!) { issueEntryPass(storeId: $s) { pass { token expiresAt store { id name } } userErrors { code field } } }`;
const SESSION = `session { id status outcome store { id } basket { product { id } quantity } charged { amount currency } order { id } }`;
const OPEN = `mutation($p: String!) { openShoppingSession(input: { pass: $p }) { ${SESSION} userErrors { code field } } }`;
const SHELF = `mutation($i: RecordShelfEventInput!) { recordShelfEvent(input: $i) { ${SESSION} userErrors { code field } } }`;
const CLOSE = `mutation($i: CloseShoppingSessionInput!) { closeShoppingSession(input: $i) { ${SESSION} userErrors { code field } } }`;
const RECEIPT = `query($id: ID!) { order(id: $id) { id channel status total { amount } receipt {
  number store { id name } enteredAt exitedAt disputableUntil total { amount currency } refunded { amount }
  lines { id product { id name } quantity unitPrice { amount } lineTotal { amount } dispute { quantity reason refund { amount } } }
  tenders { method amount { amount } status }
} } }`;
const DISPUTE = `mutation($i: DisputeReceiptLineInput!) { disputeReceiptLine(input: $i) { dispute { quantity refund { amount } } receipt { refunded { amount } } userErrors { code field } } }`;

type Session = { id: string; status: string; outcome: string | null; store: { id: string }; basket: { product: { id: string }; quantity: number }[]; charged: { amount: number } | null; order: { id: string } | null };
type Payload = { session: Session | null; userErrors: { code: string; field: string[] | null }[] };

async function pass(member: string, store = ROPPONGI): Promise<string> {
  const res = await t.query<{ issueEntryPass: { pass: { token: string } | null; userErrors: unknown[] } }>(ISSUE, { s: store }, t.as(member));
  expect(res.errors).toBeUndefined();
  expect(res.data!.issueEntryPass.userErrors).toEqual([]);
  return res.data!.issueEntryPass.pass!.token;
}
async function open(token: string, gate: TestKey = roppongiGate): Promise<Payload> {
  const res = await t.query<{ openShoppingSession: Payload }>(OPEN, { p: token }, gate.headers);
  expect(res.errors).toBeUndefined();
  return res.data!.openShoppingSession;
}
async function shelf(input: Record<string, unknown>, gate: TestKey = roppongiGate): Promise<Payload> {
  const res = await t.query<{ recordShelfEvent: Payload }>(SHELF, { i: { quantity: 1, kind: "TAKEN", eventId: `ev-${randomUUID()}`, ...input } }, gate.headers);
  expect(res.errors).toBeUndefined();
  return res.data!.recordShelfEvent;
}
async function close(sessionId: string, exitEventId: string, gate: TestKey = roppongiGate): Promise<Payload> {
  const res = await t.query<{ closeShoppingSession: Payload }>(CLOSE, { i: { sessionId, exitEventId } }, gate.headers);
  expect(res.errors).toBeUndefined();
  return res.data!.closeShoppingSession;
}
const footprint = async () => ({
  sessions: await rowCount(t, "payments.shopping_session"),
  events: await rowCount(t, "payments.shelf_event"),
  orders: await rowCount(t, "payments.customer_order"),
  payments: await rowCount(t, "payments.payment"),
  emails: await rowCount(t, "payments.email_outbox"),
  disputes: await rowCount(t, "payments.line_dispute"),
  charges: await rowCount(t, "payments.processor_charge"),
  methods: await rowCount(t, "payments.default_payment_method"),
});
const shelfStock = async (store: string, productId: string) =>
  (await t.sql<{ quantity: number }>(`SELECT quantity FROM stores.stock WHERE store_id = $1 AND product_id = $2`, [store, productId]))[0]!.quantity;

describe("the default payment method", () => {
  it("is saved and read by the member only; Aiko's demo card is seeded", async () => {
    const read = `{ me { defaultPaymentMethod { method cardToken } } }`;
    expect((await t.query(read, {}, t.as("aiko"))).data!.me.defaultPaymentMethod).toEqual({ method: "CARD", cardToken: "tok_visa" });
    expect((await t.query(read, {}, t.as("minh"))).data!.me.defaultPaymentMethod).toBeNull();
    const saved = await t.query(SET_METHOD, { i: { method: "WALLET" } }, t.as("sofia"));
    expect(saved.data!.setDefaultPaymentMethod).toEqual({ defaultPaymentMethod: { method: "WALLET", cardToken: null }, userErrors: [] });
    const key = await t.key(["payments:write"], "corner24");
    expect((await t.query(SET_METHOD, { i: { method: "WALLET" } }, key.headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // A platform key that may read member profiles still may not see a member's payment method.
    const platform = await t.key(["members:read"]);
    const other = await t.query(`query($id: ID!) { member(id: $id) { id defaultPaymentMethod { method } } }`, { id: demoMemberId("aiko") }, platform.headers);
    expect(other.data!.member).toEqual({ id: demoMemberId("aiko"), defaultPaymentMethod: null });
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it.each([
    [{ method: "CARD" }, "CARD_TOKEN_REQUIRED"],
    [{ method: "CARD", cardToken: "4242424242424242" }, "INVALID_CARD_TOKEN"],
    [{ method: "WALLET", cardToken: "tok_visa" }, "CARD_TOKEN_NOT_ALLOWED"],
  ])("refuses %j with %s and saves nothing", async (input, code) => {
    const before = await footprint();
    const res = await t.query(SET_METHOD, { i: input }, t.as("wei"));
    expect(res.data!.setDefaultPaymentMethod).toEqual({ defaultPaymentMethod: null, userErrors: [{ code, field: ["input", "cardToken"] }] });
    expect(await footprint()).toEqual(before);
  });
});

describe("the entry pass", () => {
  it("is a short-lived signed token for a checkout-free store", async () => {
    const before = Date.now();
    const res = await t.query(ISSUE, { s: ROPPONGI }, t.as("aiko"));
    const issued = res.data!.issueEntryPass.pass;
    expect(issued.token).toMatch(/^ep_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(issued.store).toEqual({ id: ROPPONGI, name: "Corner24 Roppongi" });
    const ttl = Date.parse(issued.expiresAt) - before;
    expect(ttl).toBeGreaterThan(115_000);
    expect(ttl).toBeLessThanOrEqual(121_000);
  });

  it.each([
    ["a store with checkouts", "aiko", demoStoreId("corner24-hamamatsucho"), "STORE_NOT_CHECKOUT_FREE"],
    ["an unknown store", "aiko", randomUUID(), "UNKNOWN_STORE"],
    ["a malformed store id", "aiko", "roppongi", "UNKNOWN_STORE"],
    ["a member without a default payment method", "wei", ROPPONGI, "NO_PAYMENT_METHOD"],
  ])("is refused for %s", async (_, member, store, code) => {
    const res = await t.query(ISSUE, { s: store }, t.as(member));
    expect(res.data!.issueEntryPass).toMatchObject({ pass: null, userErrors: [{ code }] });
  });

  it("is for members only", async () => {
    expect((await t.query(ISSUE, { s: ROPPONGI }, roppongiGate.headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await t.query(ISSUE, { s: ROPPONGI })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("the gate", () => {
  it("refuses a forged, expired, other-store or reused pass with stable codes and opens nothing", async () => {
    const token = await pass("aiko");
    const [body, mac] = token.slice(3).split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString());
    const forged = `ep_${Buffer.from(JSON.stringify({ ...claims, m: demoMemberId("sofia") })).toString("base64url")}.${mac}`;
    const expired = signEntryPass({ memberId: demoMemberId("aiko"), storeId: ROPPONGI, expiresAt: Date.now() - 1000, nonce: randomUUID() });
    const before = await footprint();
    expect((await open(forged)).userErrors).toEqual([{ code: "PASS_INVALID", field: ["input", "pass"] }]);
    expect((await open("ep_garbage")).userErrors[0]!.code).toBe("PASS_INVALID");
    expect((await open(`${token}x`)).userErrors[0]!.code).toBe("PASS_INVALID");
    expect((await open(expired)).userErrors).toEqual([{ code: "PASS_EXPIRED", field: ["input", "pass"] }]);
    // A Roppongi pass at Kanda's gate (store B's key) opens nothing.
    expect((await open(token, kandaGate)).userErrors).toEqual([{ code: "WRONG_STORE", field: ["input", "pass"] }]);
    expect(await footprint()).toEqual(before);

    const opened = await open(token);
    expect(opened.userErrors).toEqual([]);
    expect(opened.session).toMatchObject({ status: "OPEN", outcome: null, store: { id: ROPPONGI }, basket: [], charged: null });
    expect((await open(token)).userErrors).toEqual([{ code: "PASS_USED", field: ["input", "pass"] }]);
    expect(await rowCount(t, "payments.shopping_session")).toBe(before.sessions + 1);
  });

  it("is for device keys with sensors:write only", async () => {
    const token = await pass("aiko");
    const backOffice = await t.key(["inventory:read", "orders:read"], "corner24");
    expect((await t.query(OPEN, { p: token }, backOffice.headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await t.query(OPEN, { p: token }, t.as("aiko"))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Another retailer's sensor key (not store-bound) does not serve Corner24's stores either.
    const meridian = await t.key(["sensors:write"], "meridian");
    expect((await open(token, meridian)).userErrors[0]!.code).toBe("WRONG_STORE");
  });
});

describe("a checkout-free visit", () => {
  let sessionId: string;
  let orderId: string;
  const before: Record<string, number> = {};

  it("opens at the gate and records takes and put-backs, idempotently", async () => {
    for (const item of items) before[item.id] = await shelfStock(ROPPONGI, item.id);
    sessionId = (await open(await pass("aiko"))).session!.id;
    for (const [i, item] of items.entries()) expect((await shelf({ sessionId, eventId: `take-${i}`, productId: item.id })).userErrors).toEqual([]);
    const back = await shelf({ sessionId, eventId: "back-4", productId: items[4]!.id, kind: "PUT_BACK" });
    expect(back.userErrors).toEqual([]);
    // The sensor repeats an event: nothing changes.
    expect((await shelf({ sessionId, eventId: "take-0", productId: items[0]!.id })).userErrors).toEqual([]);
    expect(await rowCount(t, "payments.shelf_event", "session_id = $1", [sessionId])).toBe(6);
    expect(back.session!.basket).toEqual(items.slice(0, 4).map((item) => ({ product: { id: item.id }, quantity: 1 })));
  });

  it("refuses bad shelf events with stable codes and records nothing", async () => {
    const events = await footprint();
    const cases: [Record<string, unknown>, string][] = [
      [{ productId: items[4]!.id, kind: "PUT_BACK" }, "PUT_BACK_EXCEEDS_TAKEN"],
      [{ productId: randomUUID() }, "UNKNOWN_PRODUCT"],
      [{ productId: "not-a-product" }, "UNKNOWN_PRODUCT"],
      [{ productId: items[0]!.id, quantity: 0 }, "INVALID_QUANTITY"],
      [{ productId: items[0]!.id, quantity: 100 }, "INVALID_QUANTITY"],
      [{ productId: items[0]!.id, eventId: "has spaces" }, "INVALID_EVENT_ID"],
      [{ productId: items[1]!.id, eventId: "take-0" }, "EVENT_ID_REUSED"],
      [{ productId: items[0]!.id, sessionId: randomUUID() }, "SESSION_NOT_FOUND"],
    ];
    for (const [input, code] of cases) expect((await shelf({ sessionId, ...input })).userErrors.map((e) => e.code), code).toEqual([code]);
    const malformed = await t.query(SHELF, { i: { sessionId: "nope", eventId: "x", productId: items[0]!.id, kind: "TAKEN" } }, roppongiGate.headers);
    expect(malformed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await footprint()).toEqual(events);
  });

  it("does not let a sensor key of another store report in this one, nor members or keys without sensors:write", async () => {
    const events = await footprint();
    expect((await shelf({ sessionId, productId: items[0]!.id }, kandaGate)).userErrors).toEqual([{ code: "SESSION_NOT_FOUND", field: ["input", "sessionId"] }]);
    expect((await close(sessionId, "exit-from-kanda", kandaGate)).userErrors).toEqual([{ code: "SESSION_NOT_FOUND", field: ["input", "sessionId"] }]);
    const member = await t.query(SHELF, { i: { sessionId, eventId: "m-1", productId: items[0]!.id, kind: "TAKEN" } }, t.as("aiko"));
    expect(member.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const reader = await t.key(["inventory:read"], "corner24", { store: "corner24-roppongi" });
    const noScope = await t.query(SHELF, { i: { sessionId, eventId: "r-1", productId: items[0]!.id, kind: "TAKEN" } }, reader.headers);
    expect(noScope.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await footprint()).toEqual(events);
  });

  it("charges exactly the 4 items once when the exit event arrives 3 times at once", async () => {
    const rows = await footprint();
    // The exit event 3 times at once, then once more later under another id (a second gate saw them leave).
    const answers = await Promise.all([close(sessionId, "exit-1"), close(sessionId, "exit-1"), close(sessionId, "exit-1")]);
    answers.push(await close(sessionId, "exit-2"));
    const expected = items.slice(0, 4).reduce((sum, item) => sum + item.price, 0);
    for (const a of answers) {
      expect(a.userErrors).toEqual([]);
      expect(a.session).toMatchObject({ id: sessionId, status: "CLOSED", outcome: "PAID", charged: { amount: expected, currency: "JPY" }, order: null });
    }
    const [closed] = await t.sql<{ order_id: string; exit_event_id: string }>(`SELECT order_id, exit_event_id FROM payments.shopping_session WHERE id = $1`, [sessionId]);
    expect(closed!.exit_event_id).toBe("exit-1");
    orderId = closed!.order_id;
    expect(await rowCount(t, "payments.customer_order", "id = $1 AND channel = 'CHECKOUT_FREE' AND status = 'COMPLETED' AND attributed_store_id = $2", [orderId, ROPPONGI])).toBe(1);
    expect(await footprint()).toEqual({ ...rows, orders: rows.orders + 1, payments: rows.payments + 1, emails: rows.emails + 1, charges: rows.charges + 1 });
    const [payment] = await t.sql<{ method: string; amount: number; status: string }>(`SELECT method, amount, status FROM payments.payment WHERE order_id = $1`, [orderId]);
    expect(payment).toEqual({ method: "CARD", amount: expected, status: "CAPTURED" });
    const [charge] = await t.sql<{ amount: number; status: string; card_token: string }>(
      `SELECT c.amount, c.status, c.card_token FROM payments.processor_charge c JOIN payments.payment p ON p.reference = c.id WHERE p.order_id = $1`,
      [orderId],
    );
    expect(charge).toEqual({ amount: expected, status: "CAPTURED", card_token: "tok_visa" });
    // Shelf events after the exit are refused.
    expect((await shelf({ sessionId, productId: items[0]!.id })).userErrors[0]!.code).toBe("SESSION_CLOSED");
  });

  it("drops stock by 4 (the put-back product unchanged) and awards points", async () => {
    for (const item of items.slice(0, 4)) expect(await shelfStock(ROPPONGI, item.id)).toBe(before[item.id]! - 1);
    expect(await shelfStock(ROPPONGI, items[4]!.id)).toBe(before[items[4]!.id]);
    const [reservation] = await eventually(
      () => t.sql<{ status: string }>(`SELECT status FROM stores.stock_reservation WHERE order_id = $1`, [orderId]),
      (r) => r[0]?.status === "COMMITTED",
    );
    expect(reservation!.status).toBe("COMMITTED");
    const expected = items.slice(0, 4).reduce((sum, item) => sum + item.price, 0);
    const [award] = await eventually(
      () => t.sql<{ points: number }>(`SELECT points FROM members.points_ledger_entry WHERE idempotency_key = $1`, [`award:${orderId}`]),
      (r) => r.length === 1,
    );
    expect(award!.points).toBe(Math.floor(expected / 100));
  });

  it("gives the member an itemised e-receipt through the gateway, and queues exactly one email", async () => {
    const res = await t.query(RECEIPT, { id: orderId }, t.as("aiko"));
    expect(res.errors).toBeUndefined();
    const order = res.data!.order;
    expect(order).toMatchObject({ channel: "CHECKOUT_FREE", status: "COMPLETED" });
    const receipt = order.receipt;
    expect(receipt.store).toEqual({ id: ROPPONGI, name: "Corner24 Roppongi" });
    expect(receipt.lines).toHaveLength(4);
    expect(receipt.lines.map((l: any) => [l.product.name, l.quantity, l.unitPrice.amount, l.lineTotal.amount])).toEqual(items.slice(0, 4).map((i) => [i.name, 1, i.price, i.price]));
    expect(receipt.total.amount).toBe(order.total.amount);
    expect(receipt.tenders).toEqual([{ method: "CARD", amount: { amount: order.total.amount }, status: "CAPTURED" }]);
    expect(receipt.refunded.amount).toBe(0);
    expect(Date.parse(receipt.disputableUntil) - Date.parse(receipt.exitedAt)).toBe(24 * 3600_000);
    expect(Date.parse(receipt.enteredAt)).toBeLessThanOrEqual(Date.parse(receipt.exitedAt));
    const emails = await t.sql<{ recipient_member_id: string; subject: string; body: string; sent_at: unknown }>(`SELECT * FROM payments.email_outbox WHERE order_id = $1`, [orderId]);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ recipient_member_id: demoMemberId("aiko"), subject: `Your O2O receipt ${receipt.number}`, sent_at: null });
    for (const item of items.slice(0, 4)) expect(emails[0]!.body).toContain(item.name);
    expect(emails[0]!.body).not.toContain(items[4]!.name);
  });

  it("shows the receipt to keys of the store's retailer, not to other members or retailers", async () => {
    const corner24 = await t.key(["orders:read"], "corner24");
    expect((await t.query(RECEIPT, { id: orderId }, corner24.headers)).data!.order.receipt.lines).toHaveLength(4);
    expect((await t.query(RECEIPT, { id: orderId }, t.as("wei"))).data!.order).toBeNull();
    expect((await t.query(RECEIPT, { id: orderId }, (await t.key(["orders:read"], "meridian")).headers)).data!.order).toBeNull();
  });

  it("refunds one disputed line once, to the card", async () => {
    const lines = (await t.query(RECEIPT, { id: orderId }, t.as("aiko"))).data!.order.receipt.lines;
    const line = lines[1];
    const charges = await rowCount(t, "payments.processor_charge");
    const input = { orderId, lineId: line.id, reason: "I never took the candy", idempotencyKey: `dispute-${randomUUID()}` };
    const first = await t.query(DISPUTE, { i: input }, t.as("aiko"));
    expect(first.errors).toBeUndefined();
    expect(first.data!.disputeReceiptLine).toEqual({ dispute: { quantity: 1, refund: { amount: line.unitPrice.amount } }, receipt: { refunded: { amount: line.unitPrice.amount } }, userErrors: [] });
    // The same request again: the same answer, nothing more refunded.
    expect((await t.query(DISPUTE, { i: input }, t.as("aiko"))).data!.disputeReceiptLine.userErrors).toEqual([]);
    const again = await t.query(DISPUTE, { i: { ...input, idempotencyKey: `dispute-${randomUUID()}` } }, t.as("aiko"));
    expect(again.data!.disputeReceiptLine).toMatchObject({ dispute: null, userErrors: [{ code: "LINE_ALREADY_DISPUTED", field: ["input", "lineId"] }] });
    expect(await rowCount(t, "payments.line_dispute", "order_id = $1", [orderId])).toBe(1);
    const refunds = await t.sql<{ amount: number; status: string; card_token: string }>(`SELECT c.amount, c.status, c.card_token FROM payments.processor_charge c WHERE c.id LIKE 're_%' AND c.id IN (SELECT refund_reference FROM payments.line_dispute WHERE order_id = $1)`, [orderId]);
    expect(refunds).toEqual([{ amount: line.unitPrice.amount, status: "REFUNDED", card_token: "tok_visa" }]);
    expect(await rowCount(t, "payments.processor_charge")).toBe(charges + 1);
    const receipt = (await t.query(RECEIPT, { id: orderId }, t.as("aiko"))).data!.order.receipt;
    expect(receipt.lines[1].dispute).toEqual({ quantity: 1, reason: "I never took the candy", refund: { amount: line.unitPrice.amount } });
    expect(receipt.lines.filter((l: any) => l.dispute)).toHaveLength(1);

    // Members keeps exactly the points of what the order still holds: the award minus the disputed line's share.
    const total = items.slice(0, 4).reduce((sum, item) => sum + item.price, 0);
    const [reversal] = await eventually(
      () => t.sql<{ points: number }>(`SELECT points FROM members.points_ledger_entry WHERE idempotency_key = $1`, [`reverse-line:${line.id}`]),
      (r) => r.length === 1,
    );
    expect(reversal!.points).toBe(Math.floor((total - line.unitPrice.amount) / 100) - Math.floor(total / 100));
    const [net] = await t.sql<{ points: number }>(`SELECT sum(points)::int AS points FROM members.points_ledger_entry WHERE order_id = $1 AND reason IN ('PURCHASE', 'REFUND_REVERSAL')`, [orderId]);
    expect(net!.points).toBe(Math.floor((total - line.unitPrice.amount) / 100));
  });

  it("refuses bad disputes with stable codes and refunds nothing", async () => {
    const lines = (await t.query(RECEIPT, { id: orderId }, t.as("aiko"))).data!.order.receipt.lines;
    const rows = await footprint();
    const base = { orderId, lineId: lines[2].id, reason: "wrong item", idempotencyKey: "" };
    const cases: [string, Record<string, unknown>, string][] = [
      ["aiko", { reason: "  " }, "INVALID_REASON"],
      ["aiko", { reason: "x".repeat(501) }, "INVALID_REASON"],
      ["aiko", { quantity: 0 }, "INVALID_QUANTITY"],
      ["aiko", { quantity: 2 }, "INVALID_QUANTITY"],
      ["aiko", { lineId: randomUUID() }, "LINE_NOT_FOUND"],
      ["aiko", { lineId: "line-1" }, "LINE_NOT_FOUND"],
      ["aiko", { idempotencyKey: " " }, "INVALID_IDEMPOTENCY_KEY"],
      ["wei", {}, "ORDER_NOT_FOUND"],
      ["aiko", { orderId: randomUUID() }, "ORDER_NOT_FOUND"],
    ];
    for (const [member, input, code] of cases) {
      const res = await t.query(DISPUTE, { i: { ...base, idempotencyKey: `bad-${randomUUID()}`, ...input } }, t.as(member));
      expect(res.data!.disputeReceiptLine.userErrors.map((e: any) => e.code), code).toEqual([code]);
    }
    // An order that is not a checkout-free receipt (Aiko's seeded app order).
    const seeded = (await t.sql<{ id: string }>(`SELECT id FROM payments.customer_order WHERE idempotency_key = 'seed:aiko-2'`))[0]!.id;
    const line = (await t.sql<{ id: string }>(`SELECT id FROM payments.order_line WHERE order_id = $1 LIMIT 1`, [seeded]))[0]!.id;
    const notReceipt = await t.query(DISPUTE, { i: { orderId: seeded, lineId: line, reason: "x", idempotencyKey: `bad-${randomUUID()}` } }, t.as("aiko"));
    expect(notReceipt.data!.disputeReceiptLine.userErrors[0].code).toBe("NOT_DISPUTABLE");
    const key = await t.key(["payments:write"], "corner24");
    expect((await t.query(DISPUTE, { i: { ...base, idempotencyKey: "k-1" } }, key.headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await footprint()).toEqual(rows);
  });

  it("closes the dispute window 24 hours after the exit", async () => {
    const lines = (await t.query(RECEIPT, { id: orderId }, t.as("aiko"))).data!.order.receipt.lines;
    await t.sql(`UPDATE payments.shopping_session SET closed_at = closed_at - interval '24 hours 1 minute' WHERE id = $1`, [sessionId]);
    const rows = await footprint();
    const late = await t.query(DISPUTE, { i: { orderId, lineId: lines[3].id, reason: "late", idempotencyKey: `late-${randomUUID()}` } }, t.as("aiko"));
    expect(late.data!.disputeReceiptLine.userErrors).toEqual([{ code: "DISPUTE_WINDOW_CLOSED", field: ["input", "orderId"] }]);
    expect(await footprint()).toEqual(rows);
  });
});

describe("other endings", () => {
  it("closes an empty basket without an order", async () => {
    const session = (await open(await pass("aiko"))).session!;
    await shelf({ sessionId: session.id, productId: items[0]!.id });
    await shelf({ sessionId: session.id, productId: items[0]!.id, kind: "PUT_BACK" });
    const rows = await footprint();
    const closed = await close(session.id, "exit-empty");
    expect(closed).toMatchObject({ session: { status: "CLOSED", outcome: "NOTHING_TAKEN", basket: [], charged: null }, userErrors: [] });
    expect(await footprint()).toEqual(rows);
  });

  it("leaves a declined charge's order unpaid, with no receipt and no email", async () => {
    await t.query(SET_METHOD, { i: { method: "CARD", cardToken: "tok_declined" } }, t.as("minh"));
    const session = (await open(await pass("minh"))).session!;
    await shelf({ sessionId: session.id, productId: items[0]!.id, quantity: 2 });
    const rows = await footprint();
    const closed = await close(session.id, "exit-declined");
    expect(closed).toMatchObject({ session: { status: "CLOSED", outcome: "PAYMENT_DECLINED", charged: { amount: 2 * items[0]!.price } }, userErrors: [] });
    expect(await footprint()).toEqual({ ...rows, orders: rows.orders + 1 });
    const [order] = await t.sql<{ id: string; status: string }>(`SELECT o.id, o.status FROM payments.customer_order o JOIN payments.shopping_session s ON s.order_id = o.id WHERE s.id = $1`, [session.id]);
    expect(order!.status).toBe("PENDING_PAYMENT");
    expect((await t.query(RECEIPT, { id: order!.id }, t.as("minh"))).data!.order.receipt).toBeNull();
  });

  it("works in store B with store B's key, which store A's key cannot reach", async () => {
    const token = await pass("aiko", KANDA);
    expect((await open(token)).userErrors[0]!.code).toBe("WRONG_STORE");
    const session = (await open(token, kandaGate)).session!;
    expect(session.store.id).toBe(KANDA);
    expect((await shelf({ sessionId: session.id, productId: items[0]!.id })).userErrors[0]!.code).toBe("SESSION_NOT_FOUND");
    expect((await shelf({ sessionId: session.id, productId: items[0]!.id }, kandaGate)).userErrors).toEqual([]);
  });

  it("refuses malformed close input", async () => {
    const session = (await open(await pass("aiko"))).session!;
    const rows = await footprint();
    expect((await close(session.id, "bad exit id")).userErrors).toEqual([{ code: "INVALID_EVENT_ID", field: ["input", "exitEventId"] }]);
    expect((await close(randomUUID(), "exit-x")).userErrors[0]!.code).toBe("SESSION_NOT_FOUND");
    expect((await t.query(CLOSE, { i: { sessionId: "x", exitEventId: "e" } }, roppongiGate.headers)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await t.query(CLOSE, { i: { sessionId: session.id, exitEventId: "e" } }, t.as("aiko"))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await footprint()).toEqual(rows);
  });
});
