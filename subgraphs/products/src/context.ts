import type { Cache, RequestInfo } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface ProductsContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
  /** The shared read cache: a price change drops the product's cached answers (prices.ts). */
  cache: Cache;
}
