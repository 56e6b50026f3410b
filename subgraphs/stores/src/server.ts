import { adapterFor, defineSubgraph, type DatabaseTarget, type Subgraph } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
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
export function createStoresSubgraph(target: DatabaseTarget, options: StoresOptions = {}): Subgraph<StoresContext> {
  const prisma = new PrismaClient({ adapter: adapterFor("stores", target) });
  const clock = options.clock ?? (() => new Date());
  return defineSubgraph<StoresContext>({
    name: "stores",
    root: new URL("..", import.meta.url),
    target,
    resolvers,
    context: (info) => {
      const today = localDate(clock(), STORES_TIME_ZONE);
      return { ...info, prisma, today, loaders: createLoaders(prisma, today) };
    },
    seed: () => seed(prisma),
    close: () => prisma.$disconnect(),
  });
}
