import { prismaOptions, defineSubgraph, eventing, localWiring, type DatabaseTarget, type Subgraph, type Wiring } from "@o2o/runtime";
import { slotTransactions } from "./cache-invalidation.ts";
import { effects } from "./consumers.ts";
import type { LogisticsContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The logistics subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createLogisticsSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring()): Subgraph<LogisticsContext> {
  const prisma = new PrismaClient(prismaOptions("logistics", target));
  // Transactions that may book or free a pickup slot (holds, releases, the consumer's cancellations) are slot
  // transactions: once one commits, the stores it changed are invalidated in the gateways' read cache (wiring.cache).
  const slotTx = slotTransactions(prisma, wiring.cache);
  const events = eventing("logistics", wiring.bus, slotTx, effects);
  const peers = wiring.peers.as("logistics");
  return defineSubgraph<LogisticsContext>({
    name: "logistics",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma, peers), peers, kick: events.relay.kick, slotTx }),
    seed: () => seed(prisma),
    workers: { relay: events.relay, consumer: events.consumer },
    close: () => prisma.$disconnect(),
  });
}
