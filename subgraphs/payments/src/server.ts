import { prismaOptions, defineSubgraph, eventing, localWiring, type DatabaseTarget, type InTransaction, type Subgraph, type Wiring } from "@o2o/runtime";
import { effects } from "./consumers.ts";
import type { PaymentsContext } from "./context.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The payments subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createPaymentsSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring()): Subgraph<PaymentsContext> {
  const prisma = new PrismaClient(prismaOptions("payments", target));
  const inTx: InTransaction<Prisma.TransactionClient> = (fn) => prisma.$transaction(fn);
  const events = eventing("payments", wiring.bus, inTx, effects);
  const peers = wiring.peers.as("payments");
  return defineSubgraph<PaymentsContext>({
    name: "payments",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => ({ ...info, prisma, loaders: createLoaders(prisma), peers, kick: events.relay.kick }),
    seed: () => seed(prisma),
    workers: { relay: events.relay, consumer: events.consumer },
    close: () => prisma.$disconnect(),
  });
}
