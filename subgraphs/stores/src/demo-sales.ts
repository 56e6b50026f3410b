import { DEMO_RETAILERS, DEMO_STORES, demoProductId, demoRetailerId, demoStoreId, seedId } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * Past sales around the independent shop Yamada Shoten Kanda (issue 6), as the stores subgraph knows sales: COMMITTED
 * stock reservations of paid orders. They are placed relative to the seeding instant (N days before it, at the same
 * time of day), so "the last 28 days" always covers them; ids are deterministic, a second seed changes nothing.
 * Assortment advice for the shop follows from this list alone (see subgraphs/stores/README.md and the tests).
 */
export interface DemoSale {
  store: string;
  sku: string;
  /** Units per sale. */
  units: number;
  /** Days before the seed instant (0 < d): one sale per entry. */
  daysAgo: number[];
  status?: "COMMITTED" | "RELEASED";
}

/** Every other day, 1 to 27 days ago: 14 sales. */
const FORTNIGHTLY = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27];

export const DEMO_SALES: DemoSale[] = [
  // Yamada Shoten Kanda's own sales (its sales rate): 28 days of Milk Pudding at 1/day, Salmon Onigiri at 2/day…
  { store: "yamada-kanda", sku: "HOK-001", units: 2, daysAgo: FORTNIGHTLY }, // 28 units, 4 on the shelf: 4 days of cover
  { store: "yamada-kanda", sku: "OCE-001", units: 4, daysAgo: FORTNIGHTLY }, // 56 units, 3 on the shelf: 1.5 days
  { store: "yamada-kanda", sku: "HOK-003", units: 1, daysAgo: FORTNIGHTLY }, // 14 units, 30 on the shelf: 60 days
  { store: "yamada-kanda", sku: "OCE-003", units: 3, daysAgo: FORTNIGHTLY }, // 42 units, 12 on the shelf: 8 days
  { store: "yamada-kanda", sku: "NIP-001", units: 2, daysAgo: FORTNIGHTLY }, // 28 units, 20 on the shelf: 20 days
  // Neighbours of similar size (55–220 m²) within 5 km: what they sell that Yamada does not stock.
  { store: "corner24-kanda", sku: "HOK-002", units: 10, daysAgo: [2, 9] }, // Cheese Tart: 20
  { store: "sato-jimbocho", sku: "HOK-002", units: 5, daysAgo: [4, 12] }, //  + 10 = 30 units in 2 stores
  { store: "corner24-kanda", sku: "NIP-002", units: 15, daysAgo: [6, 20] }, // Tokyo Banana: 30 units in 1 store
  { store: "sato-jimbocho", sku: "OCE-002", units: 4, daysAgo: [3, 10, 17] }, // Sushi Platter: 12 units in 1 store
  { store: "corner24-kanda", sku: "NIP-001", units: 15, daysAgo: [8] }, // Yamada stocks it: never suggested
  { store: "corner24-hamamatsucho", sku: "HOK-005", units: 4, daysAgo: [5, 15] }, // Butter Sand: 8 units, 4.3 km away
  // Not counted: too long ago, released (cancelled) orders, a store too big to compare.
  { store: "corner24-kanda", sku: "NIP-004", units: 100, daysAgo: [40] },
  { store: "corner24-kanda", sku: "NIP-006", units: 80, daysAgo: [5], status: "RELEASED" },
  { store: "hoshi-akihabara", sku: "NIP-003", units: 50, daysAgo: [2] },
];

const DAY_MS = 86_400_000;

/** Writes DEMO_SALES as COMMITTED (or RELEASED) reservations with one line each. Idempotent. */
export async function seedSales(prisma: PrismaClient, now: Date): Promise<void> {
  const rows = DEMO_SALES.flatMap((sale) =>
    sale.daysAgo.map((d) => {
      const createdAt = new Date(now.getTime() - d * DAY_MS);
      return { orderId: seedId("demo-sale", `${sale.store}|${sale.sku}|${d}`), sale, createdAt };
    }),
  );
  await prisma.stockReservation.createMany({
    data: rows.map((r) => ({
      orderId: r.orderId,
      status: r.sale.status ?? "COMMITTED",
      expiresAt: new Date(r.createdAt.getTime() + 15 * 60_000),
      createdAt: r.createdAt,
      releaseReason: r.sale.status === "RELEASED" ? "CANCELLED" : null,
      releasedAt: r.sale.status === "RELEASED" ? new Date(r.createdAt.getTime() + 60_000) : null,
    })),
    skipDuplicates: true,
  });
  await prisma.stockReservationLine.createMany({
    data: rows.map((r) => ({ orderId: r.orderId, position: 1, productId: demoProductId(r.sale.sku), storeId: demoStoreId(r.sale.store), quantity: r.sale.units })),
    skipDuplicates: true,
  });
}

/**
 * Retailer kinds and store floor areas on a database seeded before they existed (the migration defaults every retailer
 * to CHAIN): one statement each, changing nothing when they are already right.
 */
export async function seedKindsAndAreas(prisma: PrismaClient): Promise<void> {
  const kinds = JSON.stringify(DEMO_RETAILERS.map((r) => ({ id: demoRetailerId(r.key), kind: r.kind })));
  await prisma.$executeRaw`
    UPDATE "stores"."retailer" t SET "kind" = v."kind"::"stores"."RetailerKind"
      FROM jsonb_to_recordset(${kinds}::jsonb) AS v("id" uuid, "kind" text)
     WHERE t."id" = v."id" AND t."kind"::text <> v."kind"`;
  const areas = JSON.stringify(DEMO_STORES.map((s) => ({ id: demoStoreId(s.key), area: s.floorAreaM2 })));
  await prisma.$executeRaw`
    UPDATE "stores"."store" t SET "floor_area_m2" = v."area"
      FROM jsonb_to_recordset(${areas}::jsonb) AS v("id" uuid, "area" int)
     WHERE t."id" = v."id" AND t."floor_area_m2" IS DISTINCT FROM v."area"`;
}
