import { DEMO_PRODUCTS, DEMO_RETAILERS, DEMO_STORES, demoProductId, demoRetailerId, demoStoreId, type DemoProduct, type DemoStore, type StoreFormat } from "@o2o/runtime";
import { seedKindsAndAreas, seedSales } from "./demo-sales.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { seedShowroomVisits } from "./visits-seed.ts";

/** When the demo stock was counted: a fixed instant, so the seed is the same on every run. */
const COUNTED_AT = new Date("2026-11-22T00:00:00.000Z");

/** Weekly hours by format, every day of the week. */
export const HOURS_BY_FORMAT: Record<StoreFormat, { opens: string; closes: string }> = {
  FLAGSHIP: { opens: "10:00", closes: "21:00" },
  DEPARTMENT_STORE: { opens: "10:00", closes: "20:00" },
  SUPERMARKET: { opens: "10:00", closes: "21:00" },
  CONVENIENCE: { opens: "00:00", closes: "24:00" },
  POP_UP: { opens: "10:00", closes: "21:00" },
  SHOWROOM: { opens: "10:00", closes: "21:00" },
  SERVICE_CENTRE: { opens: "11:00", closes: "20:00" },
  PICKUP_POINT: { opens: "10:00", closes: "21:00" },
};

/** "4-6-16 Ginza, Chuo-ku, Tokyo" → line1 "4-6-16 Ginza, Chuo-ku", city "Tokyo". */
export function splitAddress(address: string): { line1: string; city: string } {
  const cut = address.lastIndexOf(",");
  return cut < 0 ? { line1: address, city: "" } : { line1: address.slice(0, cut).trim(), city: address.slice(cut + 1).trim() };
}

/** FNV-1a, 32 bits: a tiny deterministic hash for demo quantities. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A store may sell off the shelf unless it is a showroom / display-only (pop-ups sell within their dates). */
// Showrooms only display; service centres and pickup lockers hand over, they keep no shelf stock.
const NO_SHELF: DemoStore["format"][] = ["SHOWROOM", "SERVICE_CENTRE", "PICKUP_POINT"];
export const sellsFromShelf = (store: DemoStore) => !NO_SHELF.includes(store.format) && !store.capabilities.includes("DISPLAY_ONLY");

/** Chilled goods need CHILLED_STORAGE, frozen goods FROZEN_STORAGE. */
export function canHold(store: DemoStore, product: DemoProduct): boolean {
  if (product.temperature === "CHILLED") return store.capabilities.includes("CHILLED_STORAGE");
  if (product.temperature === "FROZEN") return store.capabilities.includes("FROZEN_STORAGE");
  return true;
}

/** Demo stock: 0 for about one pair in six (out of stock), otherwise 1 to 24 units. */
export function demoQuantity(sku: string, storeKey: string): number {
  const fixed = DEMO_STORES.find((s) => s.key === storeKey)?.stock;
  if (fixed) return fixed[sku] ?? 0;
  const h = fnv1a(`${sku}|${storeKey}`);
  return (h >>> 8) % 6 === 0 ? 0 : 1 + (h % 24);
}

/** The showroom keeps one display unit of each cross-border product: stock rows that are never for sale. */
const displayOnly = (store: DemoStore, product: DemoProduct) =>
  (store.format === "SHOWROOM" || store.capabilities.includes("DISPLAY_ONLY")) && product.crossBorder && product.temperature === "AMBIENT";

/** The demo retailers, stores, hours and stock: deterministic ids, idempotent (a second run changes nothing). */
export async function seed(prisma: PrismaClient, now: Date = new Date()): Promise<void> {
  await prisma.retailer.createMany({
    data: DEMO_RETAILERS.map((r) => ({ id: demoRetailerId(r.key), name: r.name, kind: r.kind })),
    skipDuplicates: true,
  });
  await prisma.store.createMany({
    data: DEMO_STORES.map((s) => {
      const { line1, city } = splitAddress(s.address);
      return {
        id: demoStoreId(s.key),
        retailerId: demoRetailerId(s.retailer),
        name: s.name,
        format: s.format,
        addressLine1: line1,
        city,
        country: "JP",
        lat: s.lat,
        lng: s.lng,
        timeZone: "Asia/Tokyo",
        capabilities: s.capabilities,
        floorAreaM2: s.floorAreaM2,
        popUpOpensOn: s.opens ? new Date(`${s.opens}T00:00:00.000Z`) : null,
        popUpClosesOn: s.closes ? new Date(`${s.closes}T00:00:00.000Z`) : null,
        createdAt: COUNTED_AT,
      };
    }),
    skipDuplicates: true,
  });
  await prisma.openingHours.createMany({
    data: DEMO_STORES.flatMap((s) => [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({ storeId: demoStoreId(s.key), dayOfWeek, ...HOURS_BY_FORMAT[s.format] }))),
    skipDuplicates: true,
  });
  await prisma.stock.createMany({
    data: DEMO_STORES.flatMap((s) =>
      DEMO_PRODUCTS.filter((p) => (s.stock ? p.sku in s.stock : (sellsFromShelf(s) && canHold(s, p)) || displayOnly(s, p))).map((p) => ({
        storeId: demoStoreId(s.key),
        productId: demoProductId(p.sku),
        quantity: sellsFromShelf(s) ? demoQuantity(p.sku, s.key) : 1,
        updatedAt: COUNTED_AT,
      })),
    ),
    skipDuplicates: true,
  });
  // Independent stores (issue 6): retailer kinds and floor areas on older databases, and past sales around Yamada.
  await seedKindsAndAreas(prisma);
  await seedSales(prisma, now);
  // October 2026 footfall of the showroom (the payments seed attributes that month's showroom orders).
  await seedShowroomVisits(prisma);
}
