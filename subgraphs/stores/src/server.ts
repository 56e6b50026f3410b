import { prismaOptions, defineSubgraph, eventing, intervalWorker, localWiring, logger, type DatabaseTarget, type Subgraph, type Wiring } from "@o2o/runtime";
import { stockTransactions } from "./cache-invalidation.ts";
import { effects } from "./consumers.ts";
import type { StoresContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { localDate } from "./geo.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { seed } from "./seed.ts";
import { releaseExpiredReservations } from "./settlement.ts";

/** The demo stores' time zone: "today" for pop-up dates is taken there. */
export const STORES_TIME_ZONE = "Asia/Tokyo";
/** How often the sweeper looks for unpaid holds past their expiry. */
export const SWEEP_EVERY_MS = 30_000;

export interface StoresOptions {
  /** The subgraph's clock: "today" for pop-up dates, and when reservations expire (tests pin it). */
  clock?: () => Date;
}

/** The stores subgraph, ready to migrate, seed and serve; it never listens by itself. */
export function createStoresSubgraph(target: DatabaseTarget, wiring: Wiring = localWiring(), options: StoresOptions = {}): Subgraph<StoresContext> {
  const clock = options.clock ?? (() => new Date());
  const prisma = new PrismaClient(prismaOptions("stores", target));
  // Every transaction of this subgraph that may write stock (requests, the consumer's events, the sweeper) is a stock
  // transaction: once it commits, the products it changed are invalidated in the gateways' read cache.
  const stockTx = stockTransactions(prisma, wiring.cache);
  const events = eventing("stores", wiring.bus, stockTx, effects);
  const peers = wiring.peers.as("stores");
  // Unpaid holds return their stock on their own, on every replica (a hold released by one is skipped by the others).
  // intervalWorker swallows failures, so they are logged here; the next run retries.
  const sweeper = intervalWorker(
    () => releaseExpiredReservations(prisma, stockTx, clock(), events.relay.kick).catch((err: unknown) => logger.error({ err: (err as Error).message }, "stock reservation sweeper failed")),
    SWEEP_EVERY_MS,
  );
  return defineSubgraph<StoresContext>({
    name: "stores",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => {
      const now = clock();
      const today = localDate(now, STORES_TIME_ZONE);
      return { ...info, prisma, now, today, loaders: createLoaders(prisma, today, peers), kick: events.relay.kick, cache: wiring.cache, stockTx, peers };
    },
    seed: () => seed(prisma, clock()),
    workers: { relay: events.relay, consumer: events.consumer, sweeper },
    close: () => prisma.$disconnect(),
  });
}
