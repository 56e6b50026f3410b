import { DEMO_PRODUCTS, DEMO_STORES, demoProductId, demoRetailerId, demoStoreId, localWiring, type DemoStore, type Wiring } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { createStoresSubgraph } from "../src/server.ts";

export type Harness = TestSubgraph & {
  /** Moves the subgraph's clock (it decides "today" in Asia/Tokyo for pop-up dates). */
  setNow(instant: string): void;
  /** The bus the subgraph's consumer reads: tests publish other subgraphs' events onto it. */
  wiring: Wiring;
};

/** One stores subgraph per test file (fresh database, seeded twice, port 0), its clock pinned to 2026-11-23 JST. */
export async function startStores(wiring: Wiring = localWiring()): Promise<Harness> {
  let now = new Date("2026-11-23T03:00:00.000Z");
  const t = await startTestSubgraph((target) => createStoresSubgraph(target, wiring, { clock: () => now }));
  return Object.assign(t, { wiring, setNow: (instant: string) => void (now = new Date(instant)) });
}

export const GINZA = { lat: 35.6717, lng: 139.765 };
export const OMOTESANDO = { lat: 35.6652, lng: 139.7123 };
/** A platform key allowed to read every store's stock (Store.stock needs inventory:read). */
export const INVENTORY_READER = { keyId: "test-platform-key", scopes: ["inventory:read"] };
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

export const store = (key: string): DemoStore => DEMO_STORES.find((s) => s.key === key)!;
export const storeId = demoStoreId;
export const retailerId = demoRetailerId;
export const productId = demoProductId;
export const COSMETICS = DEMO_PRODUCTS.filter((p) => p.category === "cosmetics");

/** An independent great-circle distance (haversine, mean Earth radius) to check the SQL one against. */
export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The demo stores in order of distance from `from`, ties by id (the order the API promises). */
export function byDistance(from: { lat: number; lng: number }, stores: DemoStore[] = DEMO_STORES) {
  return stores
    .map((s) => ({ key: s.key, id: demoStoreId(s.key), distanceKm: haversineKm(from, s) }))
    .sort((x, y) => x.distanceKm - y.distanceKm || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export const AVAILABILITY = `query($r: [_Any!]!, $near: GeoPointInput!, $radiusKm: Float, $first: Int) {
  _entities(representations: $r) { ... on Product { id availability(near: $near, radiusKm: $radiusKm, first: $first) { store { id name } quantity distanceKm } } }
}`;

export const productRefs = (skus: string[]) => skus.map((sku) => ({ __typename: "Product", id: demoProductId(sku) }));
