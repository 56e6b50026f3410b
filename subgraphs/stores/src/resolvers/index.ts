import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { ApiKey } from "./api-key.ts";
import { Product } from "./product.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Retailer } from "./retailer.ts";
import { ShelfScan } from "./shelf-scan.ts";
import { StockItem, StockLevel, StoreAvailability } from "./stock.ts";
import { Store } from "./store.ts";

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, Retailer, Store, Product, StoreAvailability, StockLevel, StockItem, ApiKey, ShelfScan };
