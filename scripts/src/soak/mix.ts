import { randomUUID } from "node:crypto";
import { signMemberToken } from "@o2o/gateway/auth";
import { DEMO_MEMBERS, demoMemberId, demoProductId, demoStoreId } from "@o2o/runtime";
import { BENCH_CATEGORY, BENCH_NEAR } from "../bench/bench-data.ts";
import { benchOperations, manifestBody } from "../bench/operations.ts";

/**
 * What the soak sends: the storefront's reads (anonymous product pages and category listings, a member's order
 * history, the store finder) and checkouts by the four demo members against a few stock rows kept short on
 * purpose, so that checkouts run out of stock while the load runs (OUT_OF_STOCK is a userError, not an error).
 */
export interface SoakRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SoakOperation {
  name: string;
  /** How many of every `sum of weights` requests are this one. */
  weight: number;
  next(i: number): SoakRequest;
}

/** The stock rows checkouts take from: one store, three products (the ones the checkout tests use). */
export const SOAK_STORE = "hoshi-akihabara";
export const SOAK_SKUS = ["SOR-003", "HAN-002", "HAN-003"] as const;
export const soakStockRows = () => SOAK_SKUS.map((sku) => ({ storeId: demoStoreId(SOAK_STORE), productId: demoProductId(sku) }));

const MEMBERS = DEMO_MEMBERS.map((m) => m.key);
const json = { "content-type": "application/json" };

export function soakOperations(memberTokenSecret: string): SoakOperation[] {
  // Member tokens signed once (a day long): the soak measures the system, not token signing.
  const tokens = MEMBERS.map((key) => `Bearer ${signMemberToken(demoMemberId(key), 24 * 3600, memberTokenSecret)}`);
  const asMember = (i: number) => ({ ...json, authorization: tokens[i % tokens.length]!, "x-request-id": randomUUID() });
  const anonymous = () => ({ ...json, "x-request-id": randomUUID() });
  const [productPage, listing, history] = benchOperations({ sku: "HAN-001", near: BENCH_NEAR, category: BENCH_CATEGORY, member: MEMBERS[0]!, scale: false });
  const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
  // Product pages rotate over the checked-out products too, so cached pages are invalidated by checkouts under load.
  const pageSkus = ["HAN-001", ...SOAK_SKUS];
  const storeFinder = manifestBody("StoreFinder");
  const checkout = manifestBody("Checkout");
  const rows = soakStockRows();
  return [
    { name: "product page", weight: 4, next: (i) => ({ body: body(productPage!.query, { ...productPage!.variables, sku: pageSkus[i % pageSkus.length] }), headers: anonymous() }) },
    { name: "category listing", weight: 2, next: () => ({ body: body(listing!.query, listing!.variables), headers: anonymous() }) },
    { name: "order history", weight: 2, next: (i) => ({ body: body(history!.query, history!.variables), headers: asMember(i) }) },
    { name: "store finder", weight: 2, next: () => ({ body: body(storeFinder, { near: BENCH_NEAR, pickupDate: productPage!.variables.pickupDate, first: 10 }), headers: anonymous() }) },
    {
      name: "checkout",
      weight: 2,
      next: (i) => {
        const row = rows[i % rows.length]!;
        const input = { channel: "IN_STORE_SCAN", lines: [{ ...row, quantity: 1 }], idempotencyKey: randomUUID() };
        return { body: body(checkout, { input }), headers: asMember(i) };
      },
    },
  ];
}

/** Picks operations in a fixed interleaved order by weight (deterministic: the same run sends the same mix). */
export function mixer(operations: SoakOperation[]): () => { operation: SoakOperation; request: SoakRequest } {
  // Interleaved, not in runs of one kind: a, b, c, a, b, c, a, …
  const rounds = Math.max(...operations.map((o) => o.weight));
  const schedule = Array.from({ length: rounds }, (_, round) => operations.filter((o) => o.weight > round)).flat();
  const counters = new Map<string, number>();
  let n = 0;
  return () => {
    const operation = schedule[n++ % schedule.length]!;
    const i = counters.get(operation.name) ?? 0;
    counters.set(operation.name, i + 1);
    return { operation, request: operation.next(i) };
  };
}

/**
 * What one answer was: `ok`, `userError:<code>` (a mutation refused in its payload), `error:<code>` (GraphQL errors,
 * by each error's extensions.code), or `http:<status>` when the body is not GraphQL JSON.
 */
export function outcomeOf(status: number, text: string): string {
  let parsed: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return `http:${status}`;
  }
  if (parsed.errors?.length) return `error:${parsed.errors[0]?.extensions?.code ?? "NO_CODE"}`;
  if (status !== 200) return `http:${status}`;
  const payload = parsed.data?.checkout as { userErrors?: { code: string }[] } | undefined;
  if (payload?.userErrors?.length) return `userError:${payload.userErrors[0]!.code}`;
  return "ok";
}
