import type { Peers, RequestInfo } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface PaymentsContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
  /** Siblings payments calls synchronously at checkout (stores, logistics, members, products). */
  peers: Peers;
  /** Relays the outbox now: call after a commit that enqueued events. */
  kick(): void;
}
