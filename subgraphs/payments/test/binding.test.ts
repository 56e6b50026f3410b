import { randomUUID } from "node:crypto";
import { demoRetailerId, demoStoreId, MEMBER_SCOPES, withSqlTransaction } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, UNKNOWN_ID, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

// The owner's own check behind the gateway: every mutation checks its scope here too (FORBIDDEN without it), and
// binds the caller to its own data — a member to themself, a partner key to its retailer's orders and cards, a
// platform key to anything. Another retailer's (or member's) order is ORDER_NOT_FOUND, like an unknown id.
let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(() => h?.stop());

const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
const statusOf = async (id: string) => (await sql<{ status: string }>(`SELECT status::text FROM payments.customer_order WHERE id = $1`, [id]))[0]!.status;
const authorize = (key: string) => sql(`UPDATE payments.customer_order SET status = 'AUTHORIZED' WHERE id = $1`, [orderId(key)]);

const partner = (retailer: string, scopes: string[]) => ({ keyId: `key-${retailer}`, retailerId: demoRetailerId(retailer), scopes });
const platform = (scopes: string[]) => ({ keyId: "key-platform", retailerId: null, scopes });
const ALL_SCOPES = ["orders:read", "orders:write", "fulfillment:write", "payments:write", "members:read", "members:pii", "loyalty:write"];

const CAPTURE = `mutation($id: ID!, $k: String!) { capturePayment(input: { orderId: $id, idempotencyKey: $k }) { order { id status } userErrors { code } } }`;
const REFUND = `mutation($id: ID!, $k: String!) { refundOrder(input: { orderId: $id, idempotencyKey: $k }) { order { id status } userErrors { code } } }`;
const ISSUE = `mutation($a: Int!, $k: String!) { issuePrepaidCard(input: { amount: $a, idempotencyKey: $k }) { issued { number card { id issuer { id } balance { amount } } } userErrors { code } } }`;
const RETAILER_ORDERS = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Retailer {
  orders(first: $first, after: $after) { edges { cursor node { id placedAt } } pageInfo { hasNextPage endCursor } } } } }`;
const retailerRep = (key: string) => [{ __typename: "Retailer", id: demoRetailerId(key) }];

type Payload = { order: { id: string; status: string } | null; userErrors: { code: string }[] };
const capture = async (key: string, caller: Record<string, unknown>) => {
  const res = await h.q<{ capturePayment: Payload }>(CAPTURE, { id: orderId(key), k: randomUUID() }, caller);
  return res.data?.capturePayment ?? res.errors?.[0]?.extensions?.code;
};
const refund = async (key: string, caller: Record<string, unknown>) => {
  const res = await h.q<{ refundOrder: Payload }>(REFUND, { id: orderId(key), k: randomUUID() }, caller);
  return res.data?.refundOrder ?? res.errors?.[0]?.extensions?.code;
};
const NOT_FOUND = { order: null, userErrors: [{ code: "ORDER_NOT_FOUND" }] };

describe("capturePayment (orders:write)", () => {
  it("a partner key captures its own retailer's orders only; another retailer's is ORDER_NOT_FOUND and unchanged", async () => {
    await authorize("sofia-4"); // credited to Hoshi Shibuya
    expect(await capture("sofia-4", partner("meridian", ["orders:write"]))).toEqual(NOT_FOUND);
    expect(await statusOf(orderId("sofia-4"))).toBe("AUTHORIZED");
    expect(await capture("sofia-4", partner("hoshi", ["orders:write"]))).toEqual({ order: { id: orderId("sofia-4"), status: "PAID" }, userErrors: [] });
    // Within its own retailer the key gets the real answer (not capturable twice).
    expect(await capture("sofia-4", partner("hoshi", ["orders:write"]))).toEqual({ order: null, userErrors: [{ code: "ORDER_NOT_CAPTURABLE" }] });
  });

  it("an order credited to no retailer is for platform keys (and its member) only", async () => {
    await authorize("aiko-14"); // ONLINE, no attributed store
    for (const retailer of ["meridian", "hoshi"]) expect(await capture("aiko-14", partner(retailer, ["orders:write"]))).toEqual(NOT_FOUND);
    expect(await capture("aiko-14", platform(["orders:write"]))).toEqual({ order: { id: orderId("aiko-14"), status: "PAID" }, userErrors: [] });
  });

  it("a member captures their own order, not another member's", async () => {
    await authorize("wei-3");
    expect(await capture("wei-3", { memberId: AIKO })).toEqual(NOT_FOUND);
    expect(await capture("wei-3", { memberId: WEI })).toEqual({ order: { id: orderId("wei-3"), status: "PAID" }, userErrors: [] });
  });

  it("is FORBIDDEN without orders:write (even the retailer's own key, even the member), UNAUTHENTICATED anonymously", async () => {
    await authorize("sofia-2"); // Hoshi Shinjuku
    for (const [caller, code] of [
      [partner("hoshi", ["orders:read", "payments:write", "fulfillment:write"]), "FORBIDDEN"],
      [platform(["orders:read"]), "FORBIDDEN"],
      [{ memberId: SOFIA, scopes: ["orders:read"] }, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      expect(await capture("sofia-2", caller)).toBe(code);
    }
    expect(await statusOf(orderId("sofia-2"))).toBe("AUTHORIZED");
  });
});

describe("refundOrder (payments:write)", () => {
  it("a partner key refunds its own retailer's orders only; another retailer's is ORDER_NOT_FOUND and unchanged", async () => {
    expect(await refund("wei-1", partner("meridian", ["payments:write"]))).toEqual(NOT_FOUND); // Hoshi Ginza
    expect(await refund("wei-1", partner("freshway", ["payments:write"]))).toEqual(NOT_FOUND);
    expect(await statusOf(orderId("wei-1"))).toBe("COMPLETED");
    expect(await refund("wei-1", partner("hoshi", ["payments:write"]))).toEqual({ order: { id: orderId("wei-1"), status: "REFUNDED" }, userErrors: [] });
    expect(await refund("aiko-1", partner("hoshi", ["payments:write"]))).toEqual(NOT_FOUND); // Meridian Nihonbashi
    expect(await refund("aiko-1", partner("meridian", ["payments:write"]))).toEqual({ order: { id: orderId("aiko-1"), status: "REFUNDED" }, userErrors: [] });
  });

  it("a platform key refunds any order, also one credited to no retailer", async () => {
    expect(await refund("aiko-7", partner("meridian", ["payments:write"]))).toEqual(NOT_FOUND);
    expect(await refund("aiko-7", platform(["payments:write"]))).toEqual({ order: { id: orderId("aiko-7"), status: "REFUNDED" }, userErrors: [] });
    expect(await refund("sofia-1", platform(["payments:write"]))).toEqual({ order: { id: orderId("sofia-1"), status: "REFUNDED" }, userErrors: [] });
  });

  it("a member refunds their own order, not another member's", async () => {
    expect(await refund("wei-2", { memberId: AIKO })).toEqual(NOT_FOUND);
    expect(await statusOf(orderId("wei-2"))).toBe("COMPLETED");
    expect(await refund("wei-2", { memberId: WEI })).toEqual({ order: { id: orderId("wei-2"), status: "REFUNDED" }, userErrors: [] });
  });

  it("is FORBIDDEN without payments:write (the retailer's own key included), UNAUTHENTICATED anonymously", async () => {
    for (const [caller, code] of [
      [partner("meridian", ["orders:read", "orders:write"]), "FORBIDDEN"],
      [platform(["orders:write"]), "FORBIDDEN"],
      [{ memberId: MINH, scopes: ["orders:read", "orders:write"] }, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      expect(await refund("minh-1", caller)).toBe(code);
    }
    expect(await statusOf(orderId("minh-1"))).toBe("COMPLETED");
  });
});

describe("issuePrepaidCard (payments:write, keys only)", () => {
  type Issued = { issued: { number: string; card: { id: string; issuer: { id: string } | null; balance: { amount: number } } } | null; userErrors: { code: string }[] };
  const issue = (caller: Record<string, unknown>, k: string, a = 3000) => h.q<{ issuePrepaidCard: Issued }>(ISSUE, { a, k }, caller);

  it("a partner key issues its own retailer's card; a platform key O2O's own", async () => {
    const meridian = (await issue(partner("meridian", ["payments:write"]), "card-1")).data!.issuePrepaidCard;
    expect(meridian.userErrors).toEqual([]);
    expect(meridian.issued!.card).toMatchObject({ issuer: { id: demoRetailerId("meridian") }, balance: { amount: 3000 } });
    const o2o = (await issue(platform(["payments:write"]), "card-1")).data!.issuePrepaidCard;
    expect(o2o.issued!.card.issuer).toBeNull();
  });

  it("one idempotency key used by two retailers gives each its own card, never the other's", async () => {
    const a = (await issue(partner("freshway", ["payments:write"]), "shared-key")).data!.issuePrepaidCard.issued!;
    const b = (await issue(partner("hoshi", ["payments:write"]), "shared-key")).data!.issuePrepaidCard.issued!;
    expect(a.card.issuer).toEqual({ id: demoRetailerId("freshway") });
    expect(b.card.issuer).toEqual({ id: demoRetailerId("hoshi") });
    expect(b.card.id).not.toBe(a.card.id);
    expect(b.number).not.toBe(a.number);
    // A replay by the same retailer is the same card.
    expect((await issue(partner("freshway", ["payments:write"]), "shared-key")).data!.issuePrepaidCard.issued!.card.id).toBe(a.card.id);
  });

  it("is FORBIDDEN to members (they hold payments:write) and to keys without the scope; nothing is issued", async () => {
    const before = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM payments.stored_value_account WHERE kind = 'PREPAID_CARD'`))[0]!.n;
    for (const [caller, code] of [
      [{ memberId: AIKO }, "FORBIDDEN"],
      [partner("meridian", ["orders:write", "orders:read"]), "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      expect((await issue(caller, `forbidden-${code}-${randomUUID()}`)).errors?.[0]?.extensions?.code).toBe(code);
    }
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM payments.stored_value_account WHERE kind = 'PREPAID_CARD'`))[0]!.n).toBe(before);
  });
});

describe("member-only mutations and the wallet", () => {
  const MUTATIONS: [string, string][] = [
    ["checkout", `mutation { checkout(input: { lines: [], channel: ONLINE, idempotencyKey: "k-1" }) { userErrors { code } } }`],
    ["payOrder", `mutation { payOrder(input: { orderId: "${UNKNOWN_ID}", tenders: [], idempotencyKey: "k-1" }) { userErrors { code } } }`],
    ["cancelOrder", `mutation { cancelOrder(input: { orderId: "${UNKNOWN_ID}" }) { userErrors { code } } }`],
    ["topUpWallet", `mutation { topUpWallet(input: { amount: 0, cardToken: "tok_visa", idempotencyKey: "k-1" }) { userErrors { code } } }`],
    ["bindPrepaidCard", `mutation { bindPrepaidCard(input: { number: "0000", pin: "0000" }) { userErrors { code } } }`],
  ];

  it.each(MUTATIONS)("%s: a member gets past access; API keys (all scopes) FORBIDDEN; anonymous UNAUTHENTICATED", async (name, query) => {
    const member = await h.q(query, {}, { memberId: SOFIA, scopes: [...MEMBER_SCOPES] });
    expect(member.errors).toBeUndefined();
    expect((member.data![name] as { userErrors: unknown[] }).userErrors.length).toBeGreaterThan(0); // the bad input, not access
    for (const [caller, code] of [
      [platform(ALL_SCOPES), "FORBIDDEN"],
      [partner("hoshi", ALL_SCOPES), "FORBIDDEN"],
      [{ service: "stores" }, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      const res = await h.q(query, {}, caller);
      expect(res.errors?.map((e) => e.extensions?.code), `${name} as ${JSON.stringify(caller)}`).toEqual([code]);
    }
  });

  it("checks the field's scope for members too (a member token without it is FORBIDDEN)", async () => {
    for (const [name, query] of MUTATIONS) {
      const res = await h.q(query, {}, { memberId: SOFIA, scopes: ["orders:read", "members:read"] });
      expect(res.errors?.map((e) => e.extensions?.code), name).toEqual(["FORBIDDEN"]);
    }
  });

  it("Member.wallet: the member themself only; other members and every key FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const WALLET = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id wallet { balance { amount } } } } }`;
    const own = await h.q(WALLET, { r: memberRep(SOFIA) }, { memberId: SOFIA });
    expect(own.errors).toBeUndefined();
    expect((own.data!._entities as any)[0].wallet.balance.amount).toBe(1500);
    for (const [caller, code] of [[{ memberId: AIKO }, "FORBIDDEN"], [platform(ALL_SCOPES), "FORBIDDEN"], [partner("hoshi", ALL_SCOPES), "FORBIDDEN"], [{}, "UNAUTHENTICATED"]] as const) {
      const res = await h.q(WALLET, { r: memberRep(SOFIA) }, caller);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(res.data!._entities).toEqual([{ id: SOFIA, wallet: null }]);
    }
  });
});

describe("Retailer.orders (orders:read)", () => {
  type Page = { edges: { cursor: string; node: { id: string; placedAt: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  const page = async (retailer: string, caller: Record<string, unknown>, vars: Record<string, unknown> = {}) => {
    const res = await h.q<{ _entities: { orders: Page | null }[] }>(RETAILER_ORDERS, { r: retailerRep(retailer), ...vars }, caller);
    return { orders: res.data?._entities[0]?.orders ?? null, code: res.errors?.[0]?.extensions?.code };
  };

  it("defaults to 20 orders, newest first, and pages by keyset without gaps or repeats", async () => {
    // CareHub has no seeded orders: 25 credited to its service centre, one minute apart.
    const store = demoStoreId("carehub-marunouchi");
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = randomUUID();
      ids.push(id);
      await sql(
        `INSERT INTO payments.customer_order (id, number, member_id, channel, status, currency, subtotal_amount, total_amount, attributed_store_id, source_retailer_id, placed_at)
         VALUES ($1, $2, $3, 'APP', 'COMPLETED', 'JPY', 1000, 1000, $4, $5, timestamptz '2026-09-01T00:00:00Z' + ($6::int * interval '1 minute'))`,
        [id, `T-CARE-${i}`, AIKO, store, demoRetailerId("carehub"), i],
      );
    }
    const key = partner("carehub", ["orders:read"]);
    const first = await page("carehub", key);
    expect(first.code).toBeUndefined();
    expect(first.orders!.edges.map((e) => e.node.id)).toEqual([...ids].reverse().slice(0, 20));
    expect(first.orders!.pageInfo.hasNextPage).toBe(true);
    const rest = await page("carehub", key, { first: 10, after: first.orders!.pageInfo.endCursor });
    expect(rest.orders!.edges.map((e) => e.node.id)).toEqual([...ids].reverse().slice(20));
    expect(rest.orders!.pageInfo.hasNextPage).toBe(false);
    // Other retailers' keys see none of them; a platform key sees the same page as CareHub's own key.
    expect(await page("carehub", partner("hoshi", ["orders:read"]))).toEqual({ orders: null, code: "FORBIDDEN" });
    expect((await page("carehub", platform(["orders:read"]))).orders).toEqual(first.orders);
  });

  it("a partner key's own list holds only orders credited to it (Meridian: never Hoshi's, FreshWay's or unattributed ones)", async () => {
    const meridian = await page("meridian", partner("meridian", ["orders:read"]), { first: 100 });
    const ids = meridian.orders!.edges.map((e) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([orderId("aiko-1"), orderId("aiko-3"), orderId("minh-1")]));
    for (const other of ["aiko-2", "aiko-5", "wei-1", "aiko-7", "aiko-14", "sofia-3"]) expect(ids).not.toContain(orderId(other));
  });

  it("is FORBIDDEN to members, to keys without orders:read and to other retailers' keys; UNAUTHENTICATED anonymously", async () => {
    for (const [caller, code] of [
      [{ memberId: AIKO }, "FORBIDDEN"],
      [partner("meridian", ["orders:write", "payments:write", "fulfillment:write"]), "FORBIDDEN"],
      [platform(["payments:write"]), "FORBIDDEN"],
      [partner("freshway", ["orders:read"]), "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      expect(await page("meridian", caller)).toEqual({ orders: null, code });
    }
  });

  it("checks access before the arguments: a bad cursor from a foreign key is FORBIDDEN, from its own BAD_USER_INPUT", async () => {
    expect((await page("meridian", partner("hoshi", ["orders:read"]), { after: "nope" })).code).toBe("FORBIDDEN");
    expect((await page("meridian", partner("meridian", ["orders:read"]), { after: "nope" })).code).toBe("BAD_USER_INPUT");
    expect((await page("meridian", partner("meridian", ["orders:read"]), { first: 101 })).code).toBe("BAD_USER_INPUT");
  });
});

