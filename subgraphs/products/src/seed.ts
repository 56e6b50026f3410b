import { DEMO_PRODUCTS, demoProductId, seedId } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";

const CATEGORY_NAMES: Record<string, string> = {
  cosmetics: "Cosmetics & Skincare",
  electronics: "Electronics",
  watches: "Watches",
  home: "Home & Kitchen",
  "chilled-food": "Chilled Food",
  "frozen-food": "Frozen Food",
  snacks: "Snacks & Souvenirs",
  fashion: "Fashion",
  toys: "Toys",
};

/** The demo catalogue: deterministic ids, idempotent (a second run changes nothing). */
export async function seed(prisma: PrismaClient): Promise<void> {
  const brands = [...new Set(DEMO_PRODUCTS.map((p) => p.brand))];
  await prisma.brand.createMany({ data: brands.map((name) => ({ id: seedId("brand", name), name })), skipDuplicates: true });
  await prisma.category.createMany({
    data: Object.entries(CATEGORY_NAMES).map(([slug, name]) => ({ id: seedId("category", slug), slug, name })),
    skipDuplicates: true,
  });
  await prisma.product.createMany({
    data: DEMO_PRODUCTS.map((p) => ({
      id: demoProductId(p.sku),
      sku: p.sku,
      name: p.name,
      description: `${p.name} by ${p.brand}.`,
      brandId: seedId("brand", p.brand),
      categoryId: seedId("category", p.category),
      barcode: p.barcode,
      priceAmount: p.price,
      priceCurrency: "JPY",
      taxFreeEligible: p.taxFree,
      crossBorder: p.crossBorder,
      temperatureClass: p.temperature,
    })),
    skipDuplicates: true,
  });
}
