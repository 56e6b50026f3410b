import type { Peers, RequestInfo } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface LogisticsContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
  /** Members, asked at handover whether a passport is the verified one; stores, asked which retailer runs a store. */
  peers: Peers;
  /** Relays the outbox now: call after a commit that enqueued events. */
  kick(): void;
}
