import { memoryCache, prismaOptions, defineSubgraph, type Cache, type DatabaseTarget, type Subgraph } from "@o2o/runtime";
import type { ProductsContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The products subgraph, ready to migrate, seed and serve; it never listens by itself. `cache`: the shared read cache. */
export function createProductsSubgraph(target: DatabaseTarget, cache: Cache = memoryCache()): Subgraph<ProductsContext> {
  const prisma = new PrismaClient(prismaOptions("products", target));
  return defineSubgraph<ProductsContext>({
    name: "products",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma), cache }),
    seed: () => seed(prisma),
    close: () => prisma.$disconnect(),
  });
}
