import { adapterFor, defineSubgraph, eventing, intervalWorker, localWiring, type DatabaseTarget, type InTransaction, type Subgraph, type Wiring } from "@o2o/runtime";
import { effects } from "./consumers.ts";
import { releaseExpiredReservations } from "./reservations.ts";
import type { StoresContext } from "./context.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";
import { localDate } from "./geo.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";

/** The demo stores' time zone: "today" for pop-up dates is taken there. */
export const STORES_TIME_ZONE = "Asia/Tokyo";

export interface StoresOptions {
  /** The clock that decides "today" (tests pin it to check pop-up dates). */
  clock?: () => Date;
}

/** The stores subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createStoresSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring(), options: StoresOptions = {}): Subgraph<StoresContext> {
  const prisma = new PrismaClient({ adapter: adapterFor("stores", target) });
  const inTx: InTransaction<Prisma.TransactionClient> = (fn) => prisma.$transaction(fn);
  const events = eventing("stores", wiring.bus, inTx, effects);
  // Unpaid holds return their stock on their own, on every replica (a released hold is skipped by the others).
  const sweeper = intervalWorker(() => releaseExpiredReservations(prisma, clock(), events.relay.kick), 30_000);
  const clock = options.clock ?? (() => new Date());
  return defineSubgraph<StoresContext>({
    name: "stores",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => {
      const today = localDate(clock(), STORES_TIME_ZONE);
      return { ...info, prisma, today, loaders: createLoaders(prisma, today), kick: events.relay.kick };
    },
    seed: () => seed(prisma),
    workers: { relay: events.relay, consumer: events.consumer, sweeper },
    close: () => prisma.$disconnect(),
  });
}
