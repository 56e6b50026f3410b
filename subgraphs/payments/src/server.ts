import { adapterFor, defineSubgraph, type DatabaseTarget, type Subgraph } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The payments subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createPaymentsSubgraph(target: DatabaseTarget): Subgraph<PaymentsContext> {
  const prisma = new PrismaClient({ adapter: adapterFor("payments", target) });
  return defineSubgraph<PaymentsContext>({
    name: "payments",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma) }),
    seed: () => seed(prisma),
    close: () => prisma.$disconnect(),
  });
}
