import { prismaOptions, defineSubgraph, eventing, localWiring, type DatabaseTarget, type InTransaction, type Subgraph, type Wiring } from "@o2o/runtime";
import { effects } from "./consumers.ts";
import type { MembersContext } from "./context.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The members subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createMembersSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring()): Subgraph<MembersContext> {
  const prisma = new PrismaClient(prismaOptions("members", target));
  const inTx: InTransaction<Prisma.TransactionClient> = (fn) => prisma.$transaction(fn);
  // Members only consumes (points follow payments' events) and announces nothing: no relay to run.
  const events = eventing("members", wiring.bus, inTx, effects);
  return defineSubgraph<MembersContext>({
    name: "members",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma) }),
    seed: () => seed(prisma),
    workers: { consumer: events.consumer },
    close: () => prisma.$disconnect(),
  });
}
