import type { QueryResolvers } from "../generated/graphql.ts";
import { findMe } from "../loyalty.ts";

export const Query: QueryResolvers = {
  me: (_, __, ctx) => findMe(ctx),
};
