import { prismaOptions, defineSubgraph, eventing, localWiring, type DatabaseTarget, type InTransaction, type Subgraph, type Wiring } from "@o2o/runtime";
import { effects } from "./consumers.ts";
import type { LogisticsContext } from "./context.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The logistics subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createLogisticsSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring()): Subgraph<LogisticsContext> {
  const prisma = new PrismaClient(prismaOptions("logistics", target));
  const inTx: InTransaction<Prisma.TransactionClient> = (fn) => prisma.$transaction(fn);
  const events = eventing("logistics", wiring.bus, inTx, effects);
  const peers = wiring.peers.as("logistics");
  return defineSubgraph<LogisticsContext>({
    name: "logistics",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma, peers), peers, kick: events.relay.kick }),
    seed: () => seed(prisma),
    workers: { relay: events.relay, consumer: events.consumer },
    close: () => prisma.$disconnect(),
  });
}
