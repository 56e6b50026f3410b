import type { Resolvers } from "../generated/graphql.ts";
import { Mutation } from "./mutation.ts";
import { Product } from "./product.ts";
import { Query } from "./query.ts";
import { ShelfScan, Store } from "./store.ts";

export const resolvers: Resolvers = { Query, Mutation, Product, Store, ShelfScan };
