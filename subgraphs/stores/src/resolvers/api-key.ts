import type { ApiKeyResolvers } from "../generated/graphql.ts";
import { keyStatus } from "../api-keys.ts";

export const ApiKey: ApiKeyResolvers = {
  retailer: (key, _, ctx) => (key.retailerId ? ctx.loaders.retailerById.load(key.retailerId) : null),
  store: (key, _, ctx) => (key.storeId ? ctx.loaders.storeById.load(key.storeId) : null),
  status: (key, _, ctx) => keyStatus(key, ctx.now),
};
