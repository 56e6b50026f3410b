import { forbidden, invalidateEntities, isId, isPlatformKey, refuse, requireScope, settle, type UserError } from "@o2o/runtime";
import type { ProductsContext } from "./context.ts";
import type { ProductModel } from "./generated/prisma/models.ts";

/** The highest list price accepted, in minor units (¥100,000,000). */
export const MAX_PRICE = 100_000_000;

export interface SetProductPriceAnswer {
  product: ProductModel | null;
  userErrors: UserError[];
}

/**
 * `setProductPrice`: the platform changes a list price. Checkout reads prices from here when it places an order, so
 * the new price applies from the next order on. After the change commits, the product's cached answers (the gateway's
 * entity and response caches: `products:Product:<id>` and the products root tag) are dropped, before it answers.
 */
export async function setProductPrice(ctx: ProductsContext, input: { productId: string; price: { amount: number; currency: string } }): Promise<SetProductPriceAnswer> {
  requireScope(ctx.caller, "catalog:write");
  if (!isPlatformKey(ctx.caller)) throw forbidden("Only platform keys may change catalogue prices.");
  return settle<SetProductPriceAnswer>(
    async () => {
      const { amount, currency } = input.price;
      if (!Number.isInteger(amount) || amount < 0 || amount > MAX_PRICE) refuse("INVALID_PRICE", `price.amount must be a whole number from 0 to ${MAX_PRICE}.`, ["input", "price", "amount"]);
      const found = isId(input.productId) ? await ctx.prisma.product.findUnique({ where: { id: input.productId.toLowerCase() } }) : null;
      if (!found) return refuse("UNKNOWN_PRODUCT", "No product has that id.", ["input", "productId"]);
      if (currency !== found.priceCurrency) refuse("CURRENCY_MISMATCH", `The product is priced in ${found.priceCurrency}.`, ["input", "price", "currency"]);
      if (found.priceAmount === amount) return { product: found, userErrors: [] };
      const product = await ctx.prisma.product.update({ where: { id: found.id }, data: { priceAmount: amount } });
      await invalidateEntities(ctx.cache, "products", "Product", [product.id]);
      return { product, userErrors: [] };
    },
    (userErrors) => ({ product: null, userErrors }),
  );
}
