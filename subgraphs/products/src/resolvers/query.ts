import { findByBarcode, findProduct, listProducts } from "../catalogue.ts";
import type { QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  product: (_, args, ctx) => findProduct(ctx, args),
  products: (_, args, ctx) => listProducts(ctx, args),
  productByBarcode: (_, { barcode }, ctx) => findByBarcode(ctx, barcode),
  categories: (_, __, ctx) => ctx.prisma.category.findMany({ orderBy: { name: "asc" } }),
  brands: (_, __, ctx) => ctx.prisma.brand.findMany({ orderBy: { name: "asc" } }),
};
