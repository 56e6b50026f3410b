/**
 * The one rule for "when will my delivery arrive": the stores subgraph quotes it before checkout
 * (`deliveryQuote`) and logistics records it on the fulfilment a checkout holds, so the quote and
 * the order always agree. Pure arithmetic on a great-circle distance, no traffic model.
 */

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
/** A store picks and packs a delivery in this long before it leaves. */
export const DELIVERY_PREPARATION_MINUTES = 60;
/** Average courier speed through the city. */
export const COURIER_SPEED_KMH = 20;
/** A promised window starts on a half hour and is this long. */
export const DELIVERY_WINDOW_MINUTES = 120;
const HALF_HOUR_MS = 30 * 60_000;

export interface Point {
  lat: number;
  lng: number;
}

/** Great-circle (haversine) distance in km. */
export function greatCircleKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface DeliveryWindow {
  earliest: Date;
  latest: Date;
}

/**
 * The window promised for a delivery ordered at `orderedAt` from a store `distanceKm` away: preparation plus
 * travel, rounded up to the next half hour, then `DELIVERY_WINDOW_MINUTES` long.
 */
export function deliveryWindow(distanceKm: number, orderedAt: Date): DeliveryWindow {
  const ready = orderedAt.getTime() + DELIVERY_PREPARATION_MINUTES * 60_000 + (distanceKm / COURIER_SPEED_KMH) * 3_600_000;
  const earliest = Math.ceil(ready / HALF_HOUR_MS) * HALF_HOUR_MS;
  return { earliest: new Date(earliest), latest: new Date(earliest + DELIVERY_WINDOW_MINUTES * 60_000) };
}
