import { randomUUID } from "node:crypto";
import { demoRetailerId, demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, PAY, product, rowCount, setStock, type CheckoutAnswer, type PayAnswer } from "./commerce.ts";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

// The wallet through the gateway: a partner retailer issues a prepaid card, a member binds it, splits a payment
// between it and the wallet balance (topped up by card), and a refund puts the money back on both.
let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
}, 120_000);
afterAll(() => t?.stop());

const WALLET = `{ me { wallet { balance { amount currency } prepaidCards { id last4 balance { amount } issuer { name } } } } }`;
type Wallet = { balance: { amount: number; currency: string }; prepaidCards: { id: string; last4: string; balance: { amount: number }; issuer: { name: string } | null }[] };
const wallet = async (member: string) => ((await t.query<{ me: { wallet: Wallet } }>(WALLET, {}, t.as(member))).data!.me.wallet);
const ISSUE = `mutation($input: IssuePrepaidCardInput!) { issuePrepaidCard(input: $input) { issued { number pin card { last4 balance { amount } issuer { name } boundAt } } userErrors { code } } }`;

describe("wallet and prepaid cards", () => {
  it("a partner issues a card (shown once, idempotent), a member binds it; nobody else can bind it again", async () => {
    const staff = (await t.key(["payments:write"], "meridian")).headers;
    const input = { amount: 8000, idempotencyKey: "gift-1" };
    const [a, b] = await Promise.all([t.query(ISSUE, { input }, staff), t.query(ISSUE, { input }, staff)]);
    expect(a.data).toEqual(b.data);
    const issued = (a.data as { issuePrepaidCard: { issued: { number: string; pin: string; card: { issuer: { name: string }; balance: { amount: number }; boundAt: null } } } }).issuePrepaidCard.issued;
    expect(issued.card).toMatchObject({ issuer: { name: "Meridian Department Stores" }, balance: { amount: 8000 }, boundAt: null });
    expect(await rowCount(t, "payments.stored_value_account", "kind = 'PREPAID_CARD' AND issuer_retailer_id = $1 AND balance = 8000", [demoRetailerId("meridian")])).toBe(1);
    expect((await t.query(ISSUE, { input }, t.as("aiko"))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const BIND = `mutation($input: BindPrepaidCardInput!) { bindPrepaidCard(input: $input) { wallet { prepaidCards { last4 } } userErrors { code } } }`;
    const wrongPin = await t.query(BIND, { input: { number: issued.number, pin: issued.pin === "0000" ? "1111" : "0000" } }, t.as("minh"));
    expect((wrongPin.data as { bindPrepaidCard: { userErrors: { code: string }[] } }).bindPrepaidCard.userErrors).toEqual([{ code: "CARD_NOT_FOUND" }]);
    const bound = await t.query(BIND, { input: { number: issued.number, pin: issued.pin } }, t.as("minh"));
    expect((bound.data as { bindPrepaidCard: { wallet: { prepaidCards: { last4: string }[] } } }).bindPrepaidCard.wallet.prepaidCards.map((c) => c.last4)).toContain(issued.number.slice(-4));
    const again = await t.query(BIND, { input: { number: issued.number, pin: issued.pin } }, t.as("wei"));
    expect((again.data as { bindPrepaidCard: { userErrors: { code: string }[] } }).bindPrepaidCard.userErrors).toEqual([{ code: "CARD_ALREADY_BOUND" }]);
  });

  it("tops up the wallet by card once per key; splits a payment over prepaid card and wallet; refunds both", async () => {
    const TOP_UP = `mutation { topUpWallet(input: { amount: 3000, cardToken: "tok_visa", idempotencyKey: "top-up-1" }) { wallet { balance { amount } } userErrors { code } } }`;
    const before = await wallet("minh");
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.query(TOP_UP, {}, t.as("minh"))));
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    expect((await wallet("minh")).balance.amount).toBe(before.balance.amount + 3000);

    const item = product((p) => p.sku === "HAN-007");
    await setStock(t, "hoshi-ginza", item.id, 5);
    const placed = await t.query<CheckoutAnswer>(CHECKOUT, { input: { channel: "IN_STORE_SCAN", lines: [{ productId: item.id, storeId: demoStoreId("hoshi-ginza"), quantity: 1 }], idempotencyKey: randomUUID() } }, t.as("minh"));
    const order = placed.data!.checkout.order!;
    const card = (await wallet("minh")).prepaidCards.find((c) => c.issuer?.name === "Meridian Department Stores")!;
    const fromCard = Math.min(card.balance.amount, order.total.amount - 1000);
    const paid = await t.query<PayAnswer>(
      PAY,
      { input: { orderId: order.id, tenders: [{ method: "PREPAID_CARD", amount: fromCard, prepaidCardId: card.id }, { method: "WALLET", amount: order.total.amount - fromCard }], idempotencyKey: randomUUID() } },
      t.as("minh"),
    );
    expect(paid.data!.payOrder.userErrors).toEqual([]);
    const during = await wallet("minh");
    expect(during.prepaidCards.find((c) => c.id === card.id)!.balance.amount).toBe(card.balance.amount - fromCard);
    const REFUND = `mutation($id: ID!) { refundOrder(input: { orderId: $id, idempotencyKey: "r-1" }) { order { status } userErrors { code } } }`;
    expect((await t.query(REFUND, { id: order.id }, t.as("minh"))).data).toEqual({ refundOrder: { order: { status: "REFUNDED" }, userErrors: [] } });
    const after = await wallet("minh");
    expect(after.balance.amount).toBe(before.balance.amount + 3000);
    expect(after.prepaidCards.find((c) => c.id === card.id)!.balance.amount).toBe(card.balance.amount);
  });
});
