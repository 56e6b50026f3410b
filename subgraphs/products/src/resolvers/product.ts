import { isId } from "@o2o/runtime";
import type { ProductResolvers } from "../generated/graphql.ts";

export const Product: ProductResolvers = {
  // Other subgraphs reference a product by id or by sku; both batch through DataLoader.
  __resolveReference: (ref, ctx) => {
    if ("id" in ref && ref.id) return isId(ref.id) ? ctx.loaders.productById.load(ref.id) : null;
    if ("sku" in ref && ref.sku) return ctx.loaders.productBySku.load(ref.sku);
    return null;
  },
  brand: async (product, _, ctx) => (await ctx.loaders.brandById.load(product.brandId))!,
  category: async (product, _, ctx) => (await ctx.loaders.categoryById.load(product.categoryId))!,
  price: (product) => ({ amount: product.priceAmount, currency: product.priceCurrency }),
};
