import type { Resolvers } from "../generated/graphql.ts";
import { Product } from "./product.ts";
import { Query } from "./query.ts";

export const resolvers: Resolvers = { Query, Product };
