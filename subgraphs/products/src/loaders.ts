import { byKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { BrandModel, CategoryModel, ProductModel } from "./generated/prisma/models.ts";

/** Per-request batchers: one SQL statement per entity kind per tick, whatever the list size. */
export function createLoaders(prisma: PrismaClient) {
  return {
    productById: new DataLoader<string, ProductModel | null>(async (ids) =>
      byKeys(ids, await prisma.product.findMany({ where: { id: { in: [...ids] } } }), (p) => p.id),
    ),
    productBySku: new DataLoader<string, ProductModel | null>(async (skus) =>
      byKeys(skus, await prisma.product.findMany({ where: { sku: { in: [...skus] } } }), (p) => p.sku),
    ),
    brandById: new DataLoader<string, BrandModel | null>(async (ids) =>
      byKeys(ids, await prisma.brand.findMany({ where: { id: { in: [...ids] } } }), (b) => b.id),
    ),
    categoryById: new DataLoader<string, CategoryModel | null>(async (ids) =>
      byKeys(ids, await prisma.category.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
    ),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

