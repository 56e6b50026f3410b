import { prismaOptions, defineSubgraph, type DatabaseTarget, type Subgraph } from "@o2o/runtime";
import type { ProductsContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The products subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createProductsSubgraph(target: DatabaseTarget): Subgraph<ProductsContext> {
  const prisma = new PrismaClient(prismaOptions("products", target));
  return defineSubgraph<ProductsContext>({
    name: "products",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma) }),
    seed: () => seed(prisma),
    close: () => prisma.$disconnect(),
  });
}
