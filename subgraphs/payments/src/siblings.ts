import type { Peers } from "@o2o/runtime";

/**
 * Payments' synchronous calls to its siblings during checkout and payment, each one operation.
 * Internal fields are `@inaccessible` in their subgraphs (see schema/commerce-flows.md).
 */

export interface CatalogueItem {
  id: string;
  price: { amount: number; currency: string };
  taxFreeEligible: boolean;
  temperatureClass: "AMBIENT" | "CHILLED" | "FROZEN";
}

type Entities<T> = { _entities: (T | null)[] };

/** Prices and handling facts of products, in `ids` order; null for unknown ones. */
export async function catalogue(peers: Peers, ids: string[]): Promise<(CatalogueItem | null)[]> {
  const data = await peers.call<Entities<CatalogueItem>>(
    "products",
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id price { amount currency } taxFreeEligible temperatureClass } } }`,
    { r: ids.map((id) => ({ __typename: "Product", id })) },
  );
  return data._entities;
}

export interface StoreFacts {
  id: string;
  format: string;
  capabilities: string[];
  retailer: { id: string };
  location: { lat: number; lng: number };
}

export async function storeFacts(peers: Peers, ids: string[]): Promise<(StoreFacts | null)[]> {
  if (!ids.length) return [];
  const data = await peers.call<Entities<StoreFacts>>(
    "stores",
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { id format capabilities retailer { id } location { lat lng } } } }`,
    { r: ids.map((id) => ({ __typename: "Store", id })) },
  );
  return data._entities;
}

export async function identityVerified(peers: Peers, memberId: string): Promise<boolean> {
  const data = await peers.call<Entities<{ identityVerified: boolean }>>(
    "members",
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { identityVerified } } }`,
    { r: [{ __typename: "Member", id: memberId }] },
  );
  return data._entities[0]?.identityVerified ?? false;
}

export interface Outcome {
  ok: boolean;
  code: string | null;
  message: string | null;
}

export interface StockReservation extends Outcome {
  productId: string | null;
  storeId: string | null;
  expiresAt: string | null;
  lines: { productId: string; storeId: string; quantity: number }[];
}

export async function reserveStock(
  peers: Peers,
  orderId: string,
  lines: { productId: string; storeId: string | null; quantity: number }[],
  deliverTo: { lat: number; lng: number } | null,
  deliverWithinKm: number | null = null,
): Promise<StockReservation> {
  const data = await peers.call<{ reserveStock: StockReservation }>(
    "stores",
    `mutation($o: ID!, $l: [ReservationLineInput!]!, $d: GeoPointInput, $k: Float) {
      reserveStock(orderId: $o, lines: $l, deliverTo: $d, deliverWithinKm: $k) { ok code message productId storeId expiresAt lines { productId storeId quantity } }
    }`,
    { o: orderId, l: lines, d: deliverTo, k: deliverWithinKm },
  );
  return data.reserveStock;
}

export async function releaseStock(peers: Peers, orderId: string): Promise<void> {
  await peers.call("stores", `mutation($o: ID!) { releaseStock(orderId: $o) }`, { o: orderId });
}

export interface FulfillmentHoldInput {
  orderId: string;
  memberId: string;
  type: string;
  storeId: string;
  slotId: string | null;
  storeFormat: string;
  storeCapabilities: string[];
  temperatureClasses: string[];
  taxFree: boolean;
  address: { recipient: string; line1: string; city: string; postalCode: string; country: string } | null;
  /** HOME_DELIVERY: how far the dispatching store is from the address (logistics promises the window from it). */
  deliveryDistanceKm?: number | null;
}

export async function holdFulfillment(peers: Peers, input: FulfillmentHoldInput): Promise<Outcome & { fulfillmentId: string | null }> {
  const data = await peers.call<{ holdFulfillment: Outcome & { fulfillmentId: string | null } }>(
    "logistics",
    `mutation($i: FulfillmentHoldInput!) { holdFulfillment(input: $i) { ok code message fulfillmentId } }`,
    { i: input },
  );
  return data.holdFulfillment;
}

export async function releaseFulfillment(peers: Peers, orderId: string): Promise<void> {
  await peers.call("logistics", `mutation($o: ID!) { releaseFulfillment(orderId: $o) }`, { o: orderId });
}

export async function redeemPoints(peers: Peers, memberId: string, orderId: string, points: number, key: string): Promise<Outcome> {
  const data = await peers.call<{ redeemPoints: Outcome }>(
    "members",
    `mutation($m: ID!, $o: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, orderId: $o, points: $p, key: $k) { ok code message } }`,
    { m: memberId, o: orderId, p: points, k: key },
  );
  return data.redeemPoints;
}
