import { describe, expect, it } from "vitest";
import { deliveryWindow, greatCircleKm } from "../src/delivery-promise.ts";

describe("delivery promise", () => {
  it("measures great-circle distances (Tokyo Station to Shinjuku is about 6.3 km)", () => {
    expect(greatCircleKm({ lat: 35.6812, lng: 139.7671 }, { lat: 35.6896, lng: 139.7006 })).toBeCloseTo(6.07, 1);
    expect(greatCircleKm({ lat: 10, lng: 20 }, { lat: 10, lng: 20 })).toBe(0);
  });

  it("promises preparation plus travel, rounded up to the half hour, two hours long", () => {
    // 10:05 + 60 min preparation + 10 km at 20 km/h (30 min) = 11:35 → 12:00–14:00.
    const w = deliveryWindow(10, new Date("2026-11-23T10:05:00Z"));
    expect(w).toEqual({ earliest: new Date("2026-11-23T12:00:00Z"), latest: new Date("2026-11-23T14:00:00Z") });
    // Exactly on a half hour stays there: 09:00 + 60 min + 0 km → 10:00.
    expect(deliveryWindow(0, new Date("2026-11-23T09:00:00Z")).earliest).toEqual(new Date("2026-11-23T10:00:00Z"));
  });
});
