import { describe, expect, it } from "vitest";
import { boundingBox, localDate, type BoundingBox } from "../src/geo.ts";
import { haversineKm } from "./support.ts";

const inBox = (box: BoundingBox, p: { lat: number; lng: number }) =>
  p.lat >= box.minLat && p.lat <= box.maxLat && box.lngRanges.some(([w, e]) => p.lng >= w && p.lng <= e);

/** Points on the circle of `radiusKm` around `c` (destination formula), plus the centre. */
function circle(c: { lat: number; lng: number }, radiusKm: number, n = 720) {
  const rad = Math.PI / 180;
  const d = radiusKm / 6371.0088;
  const points = [c];
  for (let i = 0; i < n; i++) {
    const bearing = (2 * Math.PI * i) / n;
    const lat = Math.asin(Math.sin(c.lat * rad) * Math.cos(d) + Math.cos(c.lat * rad) * Math.sin(d) * Math.cos(bearing));
    const lng = c.lng * rad + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(c.lat * rad), Math.cos(d) - Math.sin(c.lat * rad) * Math.sin(lat));
    points.push({ lat: lat / rad, lng: ((((lng / rad + 180) % 360) + 360) % 360) - 180 });
  }
  return points;
}

describe("the bounding-box prefilter", () => {
  it.each([
    ["Ginza", { lat: 35.6717, lng: 139.765 }, 25],
    ["Ginza, the largest radius", { lat: 35.6717, lng: 139.765 }, 500],
    ["across the antimeridian", { lat: -17.7, lng: 179.9 }, 200],
    ["across the antimeridian, westwards", { lat: 65.5, lng: -179.5 }, 300],
    ["around a pole", { lat: 89.5, lng: 10 }, 100],
    ["the south pole itself", { lat: -90, lng: 0 }, 50],
  ])("holds every point within the radius: %s", (_, centre, radiusKm) => {
    const box = boundingBox(centre, radiusKm);
    for (const p of circle(centre, radiusKm * 0.999999)) {
      expect(haversineKm(centre, p)).toBeLessThanOrEqual(radiusKm);
      expect(inBox(box, p)).toBe(true);
    }
  });

  it("is tight: a point well outside the radius (east or north) is outside the box", () => {
    const box = boundingBox({ lat: 35.6717, lng: 139.765 }, 25);
    expect(inBox(box, { lat: 35.6717, lng: 139.765 + 0.4 })).toBe(false);
    expect(inBox(box, { lat: 35.6717 + 0.3, lng: 139.765 })).toBe(false);
  });
});

describe("today in Asia/Tokyo", () => {
  it("rolls over at 15:00 UTC", () => {
    expect(localDate(new Date("2027-06-30T14:59:59Z"), "Asia/Tokyo")).toBe("2027-06-30");
    expect(localDate(new Date("2027-06-30T15:00:00Z"), "Asia/Tokyo")).toBe("2027-07-01");
  });
});
