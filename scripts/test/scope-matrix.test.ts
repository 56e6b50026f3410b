import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { demoMemberId, demoRetailerId, demoStoreId, SCOPES, type Scope } from "@o2o/runtime";
import { Kind, parse, type ConstDirectiveNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

/**
 * For every field the supergraph guards with @requiresScopes: a caller without that scope gets the
 * field as null with FORBIDDEN (anonymous: UNAUTHENTICATED) and the rest of the answer still comes;
 * a caller with it gets past the gateway. The list of cases must match the supergraph exactly, so a
 * newly guarded field without a case here fails this test.
 */
type Case = { scope: Scope; as: "platform" | "member"; query: string; variables?: Record<string, unknown>; path: string[] };

const NOBODY = "00000000-0000-4000-8000-000000000000";
const key = () => `matrix-${randomUUID()}`;
const CASES: Record<string, Case> = {
  "Store.stock": { scope: "inventory:read", as: "platform", path: ["store", "stock"], query: `query($id: ID!) { store(id: $id) { stock(first: 1) { edges { cursor } } } }`, variables: { id: demoStoreId("hoshi-ginza") } },
  "Mutation.setStockLevel": { scope: "inventory:write", as: "platform", path: ["setStockLevel"], query: `mutation { setStockLevel(input: { storeId: "${demoStoreId("hoshi-ginza")}", productId: "${NOBODY}", quantity: -1 }) { userErrors { code } } }` },
  "Store.conversion": { scope: "analytics:read", as: "platform", path: ["store", "conversion"], query: `query($id: ID!) { store(id: $id) { conversion(from: "2026-10-01", to: "2026-10-31") { visits } } }`, variables: { id: demoStoreId("lumen-omotesando") } },
  "Mutation.recordStoreVisits": { scope: "visits:write", as: "platform", path: ["recordStoreVisits"], query: `mutation { recordStoreVisits(input: { storeId: "${NOBODY}", date: "2026-10-01", count: 1, idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Mutation.transferPopUpStock": { scope: "inventory:write", as: "platform", path: ["transferPopUpStock"], query: `mutation { transferPopUpStock(input: { fromStoreId: "${NOBODY}", toStoreId: "${NOBODY}", idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Mutation.setProductPrice": { scope: "catalog:write", as: "platform", path: ["setProductPrice"], query: `mutation { setProductPrice(input: { productId: "${NOBODY}", price: { amount: 1, currency: "JPY" } }) { userErrors { code } } }` },
  "Query.apiKeys": { scope: "admin", as: "platform", path: ["apiKeys"], query: `{ apiKeys(first: 1) { edges { cursor } } }` },
  "Mutation.createApiKey": { scope: "admin", as: "platform", path: ["createApiKey"], query: `mutation { createApiKey(input: { name: "x", scopes: [] }) { userErrors { code } } }` },
  "Mutation.rotateApiKey": { scope: "admin", as: "platform", path: ["rotateApiKey"], query: `mutation { rotateApiKey(id: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.revokeApiKey": { scope: "admin", as: "platform", path: ["revokeApiKey"], query: `mutation { revokeApiKey(id: "${NOBODY}") { userErrors { code } } }` },
  "Query.fulfillment": { scope: "orders:read", as: "platform", path: ["fulfillment"], query: `{ fulfillment(id: "${NOBODY}") { id } }` },
  "Mutation.markFulfillmentReady": { scope: "fulfillment:write", as: "platform", path: ["markFulfillmentReady"], query: `mutation { markFulfillmentReady(fulfillmentId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.handOverFulfillment": { scope: "fulfillment:write", as: "platform", path: ["handOverFulfillment"], query: `mutation { handOverFulfillment(input: { fulfillmentId: "${NOBODY}", pickupCode: "000000" }) { userErrors { code } } }` },
  "Mutation.dispatchDelivery": { scope: "fulfillment:write", as: "platform", path: ["dispatchDelivery"], query: `mutation { dispatchDelivery(fulfillmentId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.confirmDelivery": { scope: "fulfillment:write", as: "platform", path: ["confirmDelivery"], query: `mutation { confirmDelivery(fulfillmentId: "${NOBODY}") { userErrors { code } } }` },
  "Query.order": { scope: "orders:read", as: "member", path: ["order"], query: `{ order(id: "${NOBODY}") { id } }` },
  "Query.exitCheck": { scope: "orders:read", as: "platform", path: ["exitCheck"], query: `{ exitCheck(storeId: "${demoStoreId("hoshi-ginza")}", orderId: "${NOBODY}") { verdict } }` },
  "Member.orders": { scope: "orders:read", as: "member", path: ["member", "orders"], query: `{ member(id: "${demoMemberId("wei")}") { orders(first: 1) { edges { cursor } } } }` },
  "Retailer.orders": { scope: "orders:read", as: "platform", path: ["retailer", "orders"], query: `{ retailer(id: "${demoRetailerId("meridian")}") { orders(first: 1) { edges { cursor } } } }` },
  "Mutation.checkout": { scope: "orders:write", as: "member", path: ["checkout"], query: `mutation($k: String!) { checkout(input: { lines: [], channel: ONLINE, idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.payOrder": { scope: "orders:write", as: "member", path: ["payOrder"], query: `mutation($k: String!) { payOrder(input: { orderId: "${NOBODY}", tenders: [], idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.cancelOrder": { scope: "orders:write", as: "member", path: ["cancelOrder"], query: `mutation { cancelOrder(input: { orderId: "${NOBODY}" }) { userErrors { code } } }` },
  "Mutation.capturePayment": { scope: "orders:write", as: "member", path: ["capturePayment"], query: `mutation($k: String!) { capturePayment(input: { orderId: "${NOBODY}", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.refundOrder": { scope: "payments:write", as: "member", path: ["refundOrder"], query: `mutation($k: String!) { refundOrder(input: { orderId: "${NOBODY}", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.topUpWallet": { scope: "payments:write", as: "member", path: ["topUpWallet"], query: `mutation($k: String!) { topUpWallet(input: { amount: 0, cardToken: "tok_visa", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.bindPrepaidCard": { scope: "payments:write", as: "member", path: ["bindPrepaidCard"], query: `mutation { bindPrepaidCard(input: { number: "0000", pin: "0000" }) { userErrors { code } } }` },
  "Mutation.issuePrepaidCard": { scope: "payments:write", as: "platform", path: ["issuePrepaidCard"], query: `mutation($k: String!) { issuePrepaidCard(input: { amount: 0, idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  // Checkout-free stores (payments): members' default method, entry pass and disputes; device keys at the gates and shelves.
  "Mutation.setDefaultPaymentMethod": { scope: "payments:write", as: "member", path: ["setDefaultPaymentMethod"], query: `mutation { setDefaultPaymentMethod(input: { method: CARD }) { userErrors { code } } }` },
  "Mutation.issueEntryPass": { scope: "orders:write", as: "member", path: ["issueEntryPass"], query: `mutation { issueEntryPass(storeId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.openShoppingSession": { scope: "sensors:write", as: "platform", path: ["openShoppingSession"], query: `mutation { openShoppingSession(input: { pass: "ep_x" }) { userErrors { code } } }` },
  "Mutation.recordShelfEvent": { scope: "sensors:write", as: "platform", path: ["recordShelfEvent"], query: `mutation { recordShelfEvent(input: { sessionId: "${NOBODY}", eventId: "e", productId: "${NOBODY}", kind: TAKEN }) { userErrors { code } } }` },
  "Mutation.closeShoppingSession": { scope: "sensors:write", as: "platform", path: ["closeShoppingSession"], query: `mutation { closeShoppingSession(input: { sessionId: "${NOBODY}", exitEventId: "e" }) { userErrors { code } } }` },
  "Mutation.disputeReceiptLine": { scope: "payments:write", as: "member", path: ["disputeReceiptLine"], query: `mutation($k: String!) { disputeReceiptLine(input: { orderId: "${NOBODY}", lineId: "${NOBODY}", reason: "x", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  // Service centres (logistics; paid through payments): members book and decide quotes, counter keys work the order.
  "Query.serviceOrder": { scope: "orders:read", as: "member", path: ["serviceOrder"], query: `{ serviceOrder(id: "${NOBODY}") { id } }` },
  "Member.serviceOrders": { scope: "orders:read", as: "member", path: ["member", "serviceOrders"], query: `{ member(id: "${demoMemberId("wei")}") { serviceOrders(first: 1) { edges { cursor } } } }` },
  "Mutation.bookService": { scope: "orders:write", as: "member", path: ["bookService"], query: `mutation($k: String!) { bookService(input: { storeId: "${NOBODY}", serviceCode: "X", slotId: "${NOBODY}", description: "x", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.acceptServiceQuote": { scope: "orders:write", as: "member", path: ["acceptServiceQuote"], query: `mutation { acceptServiceQuote(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.declineServiceQuote": { scope: "orders:write", as: "member", path: ["declineServiceQuote"], query: `mutation { declineServiceQuote(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.checkoutServiceOrder": { scope: "orders:write", as: "member", path: ["checkoutServiceOrder"], query: `mutation($k: String!) { checkoutServiceOrder(input: { serviceOrderId: "${NOBODY}", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
  "Mutation.receiveServiceItem": { scope: "services:write", as: "platform", path: ["receiveServiceItem"], query: `mutation { receiveServiceItem(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.requoteServiceOrder": { scope: "services:write", as: "platform", path: ["requoteServiceOrder"], query: `mutation { requoteServiceOrder(serviceOrderId: "${NOBODY}", price: 1, reason: "x") { userErrors { code } } }` },
  "Mutation.startServiceWork": { scope: "services:write", as: "platform", path: ["startServiceWork"], query: `mutation { startServiceWork(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.markServiceReady": { scope: "services:write", as: "platform", path: ["markServiceReady"], query: `mutation { markServiceReady(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.collectServiceOrder": { scope: "services:write", as: "platform", path: ["collectServiceOrder"], query: `mutation { collectServiceOrder(serviceOrderId: "${NOBODY}") { userErrors { code } } }` },
  "Mutation.dispatchServiceLeg": { scope: "services:write", as: "platform", path: ["dispatchServiceLeg"], query: `mutation { dispatchServiceLeg(serviceOrderId: "${NOBODY}", leg: PICKUP) { userErrors { code } } }` },
  "Mutation.completeServiceLeg": { scope: "services:write", as: "platform", path: ["completeServiceLeg"], query: `mutation { completeServiceLeg(serviceOrderId: "${NOBODY}", leg: RETURN) { userErrors { code } } }` },
  // Independent stores (stores; the counter's queue in logistics): adjustments, counts, replenishment, advice.
  "Store.stockAdjustments": { scope: "inventory:read", as: "platform", path: ["store", "stockAdjustments"], query: `query($id: ID!) { store(id: $id) { stockAdjustments(first: 1) { edges { cursor } } } }`, variables: { id: demoStoreId("yamada-kanda") } },
  "Store.replenishmentOrders": { scope: "inventory:read", as: "platform", path: ["store", "replenishmentOrders"], query: `query($id: ID!) { store(id: $id) { replenishmentOrders(first: 1) { edges { cursor } } } }`, variables: { id: demoStoreId("yamada-kanda") } },
  "Store.assortmentAdvice": { scope: "analytics:read", as: "platform", path: ["store", "assortmentAdvice"], query: `query($id: ID!) { store(id: $id) { assortmentAdvice { since } } }`, variables: { id: demoStoreId("yamada-kanda") } },
  "Store.fulfillmentQueue": { scope: "fulfillment:write", as: "platform", path: ["store", "fulfillmentQueue"], query: `query($id: ID!) { store(id: $id) { fulfillmentQueue(first: 1) { edges { cursor } } } }`, variables: { id: demoStoreId("yamada-kanda") } },
  "Mutation.adjustStock": { scope: "inventory:write", as: "platform", path: ["adjustStock"], query: `mutation { adjustStock(input: { storeId: "${NOBODY}", productId: "${NOBODY}", delta: 0, reason: OTHER, idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Mutation.recordStockCount": { scope: "inventory:write", as: "platform", path: ["recordStockCount"], query: `mutation { recordStockCount(input: { storeId: "${NOBODY}", counts: [], idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Mutation.placeReplenishmentOrder": { scope: "replenishment:write", as: "platform", path: ["placeReplenishmentOrder"], query: `mutation { placeReplenishmentOrder(input: { storeId: "${NOBODY}", lines: [], idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Mutation.updateReplenishmentOrder": { scope: "replenishment:write", as: "platform", path: ["updateReplenishmentOrder"], query: `mutation { updateReplenishmentOrder(input: { orderId: "${NOBODY}", status: CONFIRMED, idempotencyKey: "${key()}" }) { userErrors { code } } }` },
  "Query.member": { scope: "members:read", as: "platform", path: ["member"], query: `{ member(id: "${NOBODY}") { id } }` },
  "Member.identity": { scope: "members:pii", as: "member", path: ["member", "identity"], query: `{ member(id: "${demoMemberId("wei")}") { identity { status } } }` },
  "Mutation.adjustPoints": { scope: "loyalty:write", as: "platform", path: ["adjustPoints"], query: `mutation($k: String!) { adjustPoints(input: { memberId: "${NOBODY}", points: 0, note: "matrix", idempotencyKey: $k }) { userErrors { code } } }`, variables: { k: key() } },
};

/** Fields the checked-in supergraph guards with @requiresScopes, as "Type.field" → scopes. */
function guardedFields(): Map<string, string[][]> {
  const doc = parse(readFileSync(new URL("../../schema/supergraph.graphql", import.meta.url), "utf8"));
  const guarded = new Map<string, string[][]>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === "requiresScopes");
      if (directive) guarded.set(`${def.name.value}.${field.name.value}`, scopesOf(directive));
    }
  }
  return guarded;
}

function scopesOf(directive: ConstDirectiveNode): string[][] {
  const arg = directive.arguments?.find((a) => a.name.value === "scopes")?.value;
  if (arg?.kind !== Kind.LIST) return [];
  return arg.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.map((v) => (v.kind === Kind.STRING ? v.value : "")) : []));
}

let t: TestSupergraph;
beforeAll(async () => void (t = await startTestSupergraph()));
afterAll(() => t?.stop());

const ALL_SCOPES = Object.keys(SCOPES) as Scope[];
const denials = (errors: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined, path: string[]) =>
  (errors ?? []).filter((e) => ["FORBIDDEN", "UNAUTHENTICATED"].includes(String(e.extensions?.code)) && JSON.stringify(e.path?.slice(0, path.length)) === JSON.stringify(path));

describe("the scope matrix", () => {
  it("covers exactly the fields the supergraph guards, with the scope it names", () => {
    const guarded = guardedFields();
    expect([...guarded.keys()].sort()).toEqual(Object.keys(CASES).sort());
    for (const [field, scopes] of guarded) expect(scopes, field).toEqual([[CASES[field]!.scope]]);
  });

  it.each(Object.entries(CASES))("%s: refused without its scope, passes with it", async (field, c) => {
    const without = (await t.key(ALL_SCOPES.filter((s) => s !== c.scope))).headers;
    const refused = await t.query(`${c.query}`, c.variables, without);
    expect(denials(refused.errors as never, c.path).map((e) => e.extensions?.code), field).toEqual(["FORBIDDEN"]);
    expect(JSON.stringify(refused)).not.toMatch(/stacktrace/);

    // Anonymous: UNAUTHENTICATED — unless the parent itself came back null (no member for `member(id:)`): then
    // nothing was withheld and no error is added.
    const anonymous = await t.query(c.query, c.variables);
    const parentNull = c.path.length > 1 && anonymous.data?.[c.path[0]!] === null;
    expect(denials(anonymous.errors as never, c.path).map((e) => e.extensions?.code), field).toEqual(parentNull ? [] : ["UNAUTHENTICATED"]);

    const holder = c.as === "member" ? t.as("wei") : (await t.key([c.scope])).headers;
    const passed = await t.query(c.query, c.variables, holder);
    expect(denials(passed.errors as never, c.path), `${field}: ${JSON.stringify(passed.errors)}`).toEqual([]);
  });

  it("a denied field is null and the rest of the answer still returns", async () => {
    const res = await t.query(`query($id: ID!) { store(id: $id) { name stock(first: 1) { edges { cursor } } } retailers { name } }`, { id: demoStoreId("hoshi-ginza") }, (await t.key(["orders:read"])).headers);
    expect(res.status).toBe(200);
    expect(res.data!.store).toEqual({ name: "Hoshi Ginza Flagship", stock: null });
    expect(res.data!.retailers.length).toBeGreaterThan(0);
    expect(res.errors).toEqual([expect.objectContaining({ path: ["store", "stock"], extensions: expect.objectContaining({ code: "FORBIDDEN" }) })]);
  });

  it("a denied mutation never reaches a subgraph and changes nothing", async () => {
    const fetches = await t.metric("o2o_subgraph_fetches_total");
    const res = await t.query(`mutation { createApiKey(input: { name: "sneaky", scopes: ["admin"] }) { secret } }`, {}, (await t.key(["inventory:read"])).headers);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await t.metric("o2o_subgraph_fetches_total")).toBe(fetches); // (the key lookup goes to stores directly, not through a plan)
    expect((await t.sql(`SELECT 1 FROM stores.api_key WHERE name = 'sneaky'`)).length).toBe(0);
  });

  it("a denied field under a parent that came back null adds no error (an anonymous product page)", async () => {
    const res = await t.query(`{ me { displayName orders(first: 1) { edges { cursor } } } retailers { name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toBeNull();
  });

  it.each([
    ["Member.wallet", `{ member(id: "${demoMemberId("wei")}") { wallet { balance { amount } } } }`, ["member", "wallet"]],
    ["Mutation.registerPassport", `mutation { registerPassport(input: { number: "X", fullName: "X", nationality: "FRA", dateOfBirth: "1990-01-01", expiresOn: "2030-01-01" }) { userErrors { code } } }`, ["registerPassport"]],
    ["Mutation.linkPartnerMembership", `mutation { linkPartnerMembership(input: { retailerId: "${NOBODY}", memberNumber: "1", pin: "1" }) { userErrors { code } } }`, ["linkPartnerMembership"]],
  ])("%s (@authenticated) is UNAUTHENTICATED for anonymous callers", async (_, query, path) => {
    const res = await t.query(query);
    const parentNull = path.length > 1 && res.data?.[path[0]!] === null;
    expect(denials(res.errors as never, path as string[]).map((e) => e.extensions?.code)).toEqual(parentNull ? [] : ["UNAUTHENTICATED"]);
  });
});
