import { adapterFor, defineSubgraph, type DatabaseTarget, type Subgraph } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The logistics subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createLogisticsSubgraph(target: DatabaseTarget): Subgraph<LogisticsContext> {
  const prisma = new PrismaClient({ adapter: adapterFor("logistics", target) });
  return defineSubgraph<LogisticsContext>({
    name: "logistics",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma) }),
    seed: () => seed(prisma),
    close: () => prisma.$disconnect(),
  });
}
