import type { Cache, InTransaction, Peers, RequestInfo } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface StoresContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
  /** Today's date (`YYYY-MM-DD`) in Asia/Tokyo, fixed for the whole request: pop-ups sell only within their dates. */
  today: string;
  /** The request's instant on the subgraph's clock: reservations expire relative to it. */
  now: Date;
  /** Relays the outbox now: call after a commit that enqueued events. */
  kick(): void;
  /**
   * The shared cache: the gateways read key credentials from it (revoking or rotating a key drops its entry) and keep
   * their read cache's tag versions in it (cache-invalidation.ts).
   */
  cache: Cache;
  /** Opens a transaction that may change stock: once it commits, the changed products' cached answers are invalidated. */
  stockTx: InTransaction<Prisma.TransactionClient>;
  /** Siblings stores calls synchronously (payments: the orders attributed to a store, for `Store.conversion`). */
  peers: Peers;
}
