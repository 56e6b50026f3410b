import { badUserInput } from "@o2o/runtime";
import { Prisma } from "./generated/prisma/client.ts";

/**
 * Geo helpers for the store queries. Distances are computed in SQL (haversine), never by loading stores
 * into memory; a lat/lng bounding box computed here first narrows the rows through the btree index on
 * store(lat, lng), so the trigonometry only runs on the candidates. Plain SQL: no PostGIS, runs on PGlite.
 */

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;
export const MAX_RADIUS_KM = 500;

export interface LatLng {
  lat: number;
  lng: number;
}

/** Validates a GeoPointInput: BAD_USER_INPUT outside [-90, 90] / [-180, 180]. */
export function parseGeoPoint(point: LatLng, argument = "near"): LatLng {
  const { lat, lng } = point;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw badUserInput(`${argument}.lat must be between -90 and 90`, { argument: `${argument}.lat` });
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw badUserInput(`${argument}.lng must be between -180 and 180`, { argument: `${argument}.lng` });
  return { lat, lng };
}

/** Validates a radius: BAD_USER_INPUT unless 0 < radiusKm <= 500. */
export function parseRadius(radiusKm: number, argument = "radiusKm"): number {
  if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_RADIUS_KM) {
    throw badUserInput(`${argument} must be greater than 0 and at most ${MAX_RADIUS_KM}`, { argument, maximum: MAX_RADIUS_KM });
  }
  return radiusKm;
}

/** A lat/lng box that contains every point within the radius; longitudes as two ranges (the antimeridian). */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  lngRanges: [[number, number], [number, number]];
}

const DEG = Math.PI / 180;
/** Slack so that floating-point rounding never drops a point on the edge; the exact test is the distance. */
const EPSILON_DEG = 1e-9;

/** The bounding coordinates of a spherical cap (J. Matuschek's method), poles and antimeridian included. */
export function boundingBox(center: LatLng, radiusKm: number): BoundingBox {
  const r = radiusKm / EARTH_RADIUS_KM;
  const lat = center.lat * DEG;
  const lng = center.lng * DEG;
  let minLat = lat - r;
  let maxLat = lat + r;
  if (minLat <= -Math.PI / 2 || maxLat >= Math.PI / 2) {
    // A pole lies within the radius: every longitude is in.
    minLat = Math.max(minLat, -Math.PI / 2);
    maxLat = Math.min(maxLat, Math.PI / 2);
    return { minLat: minLat / DEG - EPSILON_DEG, maxLat: maxLat / DEG + EPSILON_DEG, lngRanges: [[-180, 180], [-180, 180]] };
  }
  const dLng = Math.asin(Math.sin(r) / Math.cos(lat));
  const west = (lng - dLng) / DEG - EPSILON_DEG;
  const east = (lng + dLng) / DEG + EPSILON_DEG;
  const box = { minLat: minLat / DEG - EPSILON_DEG, maxLat: maxLat / DEG + EPSILON_DEG };
  if (west < -180) return { ...box, lngRanges: [[west + 360, 180], [-180, east]] };
  if (east > 180) return { ...box, lngRanges: [[west, 180], [-180, east - 360]] };
  return { ...box, lngRanges: [[west, east], [west, east]] };
}

/** SQL: the haversine distance in km from `center` to the store row aliased `s`. */
export function distanceSql(center: LatLng): Prisma.Sql {
  return Prisma.sql`(2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1::float8, sqrt(
      power(sin(radians(s."lat" - ${center.lat}::float8) / 2), 2)
      + cos(radians(${center.lat}::float8)) * cos(radians(s."lat")) * power(sin(radians(s."lng" - ${center.lng}::float8) / 2), 2)
    ))))`;
}

/** SQL: the bounding-box prefilter on the store row aliased `s` (a range scan on the (lat, lng) index). */
export function withinBoxSql(box: BoundingBox): Prisma.Sql {
  const [[w1, e1], [w2, e2]] = box.lngRanges;
  return Prisma.sql`s."lat" BETWEEN ${box.minLat}::float8 AND ${box.maxLat}::float8
    AND (s."lng" BETWEEN ${w1}::float8 AND ${e1}::float8 OR s."lng" BETWEEN ${w2}::float8 AND ${e2}::float8)`;
}

/** Today's date (`YYYY-MM-DD`) in a time zone, e.g. the demo stores' Asia/Tokyo. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}
