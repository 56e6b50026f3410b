import { apiKeyCredential, listApiKeys } from "../api-keys.ts";
import { deliveryQuote } from "../delivery-quote.ts";
import { findRetailer, findStore, listRetailers, listStores } from "../directory.ts";
import type { QueryResolvers } from "../generated/graphql.ts";
import { requireAdmin, requireGateway } from "./admin.ts";

export const Query: QueryResolvers = {
  store: (_, { id }, ctx) => findStore(ctx, id),
  stores: (_, args, ctx) => listStores(ctx, args),
  retailers: (_, __, ctx) => listRetailers(ctx),
  retailer: (_, { id }, ctx) => findRetailer(ctx, id),
  deliveryQuote: (_, args, ctx) => deliveryQuote(ctx, args),
  apiKeys: (_, args, ctx) => (requireAdmin(ctx.caller), listApiKeys(ctx, args)),
  apiKeyCredential: (_, { secretHash }, ctx) => (requireGateway(ctx.caller), apiKeyCredential(ctx, secretHash)),
};
