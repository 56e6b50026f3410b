import type { Peers } from "@o2o/runtime";

/** What a checkout-free basket needs from products: price (never from the sensor) and a name for the e-receipt. */
export interface BasketProduct {
  id: string;
  name: string;
  price: { amount: number; currency: string };
}

/** In `ids` order; null for unknown products. One call (the `_entities` batch siblings.ts's catalogue uses too). */
export async function basketProducts(peers: Peers, ids: string[]): Promise<(BasketProduct | null)[]> {
  if (!ids.length) return [];
  const data = await peers.call<{ _entities: (BasketProduct | null)[] }>(
    "products",
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name price { amount currency } } } }`,
    { r: ids.map((id) => ({ __typename: "Product", id })) },
  );
  return data._entities;
}
