import { demoStoreId, seedId } from "@o2o/runtime";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ServiceCategory } from "../generated/prisma/enums.ts";

/** The service catalogue (codes are what `bookService` takes). */
export const SERVICE_OFFERINGS: { code: string; name: string; category: ServiceCategory; turnaroundDays: number }[] = [
  { code: "SHOE_RESOLE", name: "Shoe resole", category: "SHOE_CARE", turnaroundDays: 7 },
  { code: "SHOE_SHINE", name: "Shoe shine and conditioning", category: "SHOE_CARE", turnaroundDays: 1 },
  { code: "SUIT_DRY_CLEAN", name: "Suit dry cleaning", category: "DRY_CLEANING", turnaroundDays: 3 },
  { code: "COAT_DRY_CLEAN", name: "Coat dry cleaning", category: "DRY_CLEANING", turnaroundDays: 4 },
  { code: "WATCH_BATTERY", name: "Watch battery replacement", category: "REPAIR", turnaroundDays: 0 },
  { code: "BAG_REPAIR", name: "Leather bag repair", category: "REPAIR", turnaroundDays: 14 },
  { code: "RING_RESIZE", name: "Ring resizing", category: "JEWELLERY_CARE", turnaroundDays: 7 },
  { code: "JEWELLERY_CLEAN", name: "Jewellery cleaning", category: "JEWELLERY_CARE", turnaroundDays: 1 },
  { code: "TROUSER_HEM", name: "Trouser hemming", category: "ALTERATION", turnaroundDays: 2 },
  { code: "JACKET_TAKE_IN", name: "Jacket taking in", category: "ALTERATION", turnaroundDays: 5 },
];

/** Rates per store (JPY, tax included): [code, price, door fee or null when at-your-door is not offered]. */
export const SERVICE_RATES: Record<string, [code: string, price: number, doorFee: number | null][]> = {
  "carehub-marunouchi": [
    ["SHOE_RESOLE", 6600, 880],
    ["SHOE_SHINE", 1650, null],
    ["SUIT_DRY_CLEAN", 2200, 880],
    ["COAT_DRY_CLEAN", 3300, 880],
    ["WATCH_BATTERY", 1320, null],
    ["BAG_REPAIR", 9900, 1100],
    ["RING_RESIZE", 5500, null],
    ["JEWELLERY_CLEAN", 2750, null],
    ["TROUSER_HEM", 1980, 880],
    ["JACKET_TAKE_IN", 7700, 880],
  ],
};

export const offeringId = (code: string) => seedId("service-offering", code);

/** Catalogue and rates: deterministic ids, idempotent (a second run changes nothing). */
export async function seedServices(prisma: PrismaClient): Promise<void> {
  await prisma.serviceOffering.createMany({ data: SERVICE_OFFERINGS.map((o) => ({ id: offeringId(o.code), ...o })), skipDuplicates: true });
  await prisma.serviceRate.createMany({
    data: Object.entries(SERVICE_RATES).flatMap(([store, rates]) =>
      rates.map(([code, price, doorFee]) => ({
        id: seedId("service-rate", `${store}:${code}`),
        storeId: demoStoreId(store),
        offeringId: offeringId(code),
        priceAmount: price,
        currency: "JPY",
        atYourDoor: doorFee !== null,
        doorFeeAmount: doorFee,
      })),
    ),
    skipDuplicates: true,
  });
}
