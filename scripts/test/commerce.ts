import { DEMO_PRODUCTS, demoProductId, demoStoreId, invalidateEntities } from "@o2o/runtime";
import type { TestSupergraph } from "./support.ts";

/** Shared steps of the commerce tests: every call goes through the gateway over HTTP. */

export const product = (predicate: (p: (typeof DEMO_PRODUCTS)[number]) => boolean) => {
  const found = DEMO_PRODUCTS.find(predicate);
  if (!found) throw new Error("no such demo product");
  return { ...found, id: demoProductId(found.sku) };
};

/** Puts exactly `quantity` units of a product on a store's shelf (test setup, straight into the stores schema). */
export async function setStock(t: TestSupergraph, storeKey: string, productId: string, quantity: number): Promise<void> {
  await t.sql(
    `INSERT INTO stores.stock (store_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
    [demoStoreId(storeKey), productId, quantity],
  );
  // A direct write, so it drops the gateway's cached availability of the product itself, as the stores subgraph does.
  await invalidateEntities(t.supergraph.wiring.cache, "stores", "Product", [productId]);
}

export async function stockOf(t: TestSupergraph, storeKey: string, productId: string): Promise<number> {
  const res = await t.query<{ product: { inventory: { quantity: number } | null } }>(
    `query($id: ID!, $store: ID!) { product(id: $id) { inventory(storeId: $store) { quantity } } }`,
    { id: productId, store: demoStoreId(storeKey) },
  );
  return res.data!.product.inventory?.quantity ?? -1;
}

export const CHECKOUT = `mutation($input: CheckoutInput!) {
  checkout(input: $input) { order { id number status total { amount currency } taxFreeAmount { amount } payBy } userErrors { code message field } }
}`;

export const PAY = `mutation($input: PayOrderInput!) {
  payOrder(input: $input) { order { id status payments { method amount { amount } status reference } } userErrors { code message field } }
}`;

export interface CheckoutAnswer {
  checkout: { order: { id: string; number: string; status: string; total: { amount: number; currency: string }; taxFreeAmount: { amount: number }; payBy: string | null } | null; userErrors: { code: string; message: string; field: string[] | null }[] };
}

export interface PayAnswer {
  payOrder: { order: { id: string; status: string; payments: { method: string; amount: { amount: number }; status: string; reference: string | null }[] } | null; userErrors: { code: string }[] };
}

/** The first pickup slot tomorrow (Tokyo) with capacity left at a store. */
export async function freeSlot(t: TestSupergraph, storeKey: string, date: string): Promise<string> {
  const res = await t.query<{ store: { pickupSlots: { id: string; capacityLeft: number }[] } }>(
    `query($id: ID!, $date: Date!) { store(id: $id) { pickupSlots(date: $date) { id capacityLeft } } }`,
    { id: demoStoreId(storeKey), date },
  );
  const slot = res.data?.store.pickupSlots.find((s) => s.capacityLeft > 0);
  if (!slot) throw new Error(`no free slot at ${storeKey} on ${date}: ${JSON.stringify(res)}`);
  return slot.id;
}

export async function rowCount(t: TestSupergraph, table: string, where = "true", params: unknown[] = []): Promise<number> {
  const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return row!.n;
}
