import type { InTransaction, Peers, RequestInfo } from "@o2o/runtime";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface LogisticsContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
  /** Members, asked at handover whether a passport is the verified one; stores, asked which retailer runs a store. */
  peers: Peers;
  /** Relays the outbox now: call after a commit that enqueued events. */
  kick(): void;
  /** Opens a transaction that may book or free a pickup slot: once it commits, the store's cached slots are invalidated. */
  slotTx: InTransaction<Prisma.TransactionClient>;
}
