import { availability, inventory, productReference } from "../availability.ts";
import type { ProductResolvers } from "../generated/graphql.ts";

export const Product: ProductResolvers = {
  // Products are owned by the products subgraph: stores only needs the id.
  __resolveReference: (ref) => productReference(ref),
  availability: (product, args, ctx) => availability(ctx, product, args),
  inventory: (product, { storeId }, ctx) => inventory(ctx, product, storeId),
};
