import type { MutationResolvers } from "../generated/graphql.ts";
import { setProductPrice } from "../prices.ts";

export const Mutation: MutationResolvers = {
  setProductPrice: (_, { input }, ctx) => setProductPrice(ctx, input),
};
