import { badUserInput, parseId, parsePage, isStringKey, toConnection, type PageArgs } from "@o2o/runtime";
import type { Prisma } from "./generated/prisma/client.ts";
import type { ProductModel } from "./generated/prisma/models.ts";
import type { ProductFilter } from "./generated/graphql.ts";
import type { ProductsContext } from "./context.ts";

/** Reads of the catalogue. Resolvers stay thin; the queries live here. */
export async function listProducts(ctx: ProductsContext, args: PageArgs & { filter?: ProductFilter | null }) {
  const page = parsePage(args, isStringKey);
  const filter = args.filter ?? {};
  // The slug becomes its category id first: `category_id = $id AND sku > $after ORDER BY sku` is one range scan of
  // the (category_id, sku) index, where a join on the slug leaves the planner walking the whole sku index.
  let categoryId: string | undefined;
  if (filter.categorySlug) {
    const category = await ctx.prisma.category.findUnique({ where: { slug: filter.categorySlug }, select: { id: true } });
    if (!category) return toConnection([] as ProductModel[], page, (p) => p.sku);
    categoryId = category.id;
  }
  const where: Prisma.ProductWhereInput = {
    ...productFilter(filter),
    ...(categoryId ? { categoryId } : {}),
    ...(page.after ? { sku: { gt: page.after } } : {}),
  };
  // Keyset pagination on the unique SKU: constant cost at any depth, unlike OFFSET.
  const rows = await ctx.prisma.product.findMany({ where, orderBy: { sku: "asc" }, take: page.take });
  for (const row of rows) ctx.loaders.productById.prime(row.id, row);
  return toConnection(rows, page, (p) => p.sku);
}

function productFilter(filter: ProductFilter): Prisma.ProductWhereInput {
  const where: Prisma.ProductWhereInput = {};
  if (filter.brandId) where.brandId = parseId(filter.brandId, "filter.brandId");
  if (filter.taxFreeEligible != null) where.taxFreeEligible = filter.taxFreeEligible;
  if (filter.temperatureClass) where.temperatureClass = filter.temperatureClass;
  if (filter.search) {
    if (filter.search.length > 100) throw badUserInput("filter.search must be at most 100 characters", { argument: "filter.search" });
    where.name = { contains: filter.search, mode: "insensitive" };
  }
  return where;
}

/** `product(id:)` or `product(sku:)`: exactly one key; unknown ones are null. */
export function findProduct(ctx: ProductsContext, args: { id?: string | null; sku?: string | null }) {
  if ((args.id == null) === (args.sku == null)) throw badUserInput("Give exactly one of id or sku", { argument: "id" });
  if (args.id != null) return ctx.loaders.productById.load(parseId(args.id, "id"));
  return ctx.loaders.productBySku.load(args.sku!);
}

export function findByBarcode(ctx: ProductsContext, barcode: string) {
  if (!/^\d{8,14}$/.test(barcode)) throw badUserInput("barcode must be 8 to 14 digits (EAN/JAN/UPC)", { argument: "barcode" });
  return ctx.prisma.product.findUnique({ where: { barcode } });
}
