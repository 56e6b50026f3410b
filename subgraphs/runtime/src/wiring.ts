import { cacheFromEnv, memoryCache, type Cache } from "./cache.ts";
import type { EventBus } from "./events/bus.ts";
import { createConsumer, type Consumer, type EventEffect } from "./events/consumer.ts";
import { eventBusFromEnv } from "./events/index.ts";
import { MemoryBus } from "./events/memory-bus.ts";
import { createRelay, type Relay } from "./events/relay.ts";
import type { InTransaction, SqlClient } from "./events/sql.ts";
import { logger } from "./logger.ts";
import { inBackground } from "./metrics.ts";
import { Peers } from "./peers.ts";
import type { SubgraphName } from "./services.ts";

/**
 * What connects a subgraph to its siblings: the event bus its outbox relays to and its consumer
 * reads from, the directory of sibling URLs for synchronous calls, and the cache the gateway shares
 * (Redis, or one in-process map in the all-in-one start). The composition root makes one per
 * supergraph; a subgraph run alone makes its own from the environment.
 */
export interface Wiring {
  bus: EventBus;
  peers: Peers;
  cache: Cache;
}

/** A subgraph on its own in a test: an in-process bus and cache nobody else shares, siblings from `<NAME>_URL`. */
export const localWiring = (): Wiring => ({ bus: new MemoryBus(), peers: new Peers(), cache: memoryCache() });

export const wiringFromEnv = (env: NodeJS.ProcessEnv = process.env): Wiring => ({ bus: eventBusFromEnv(env), peers: new Peers(), cache: cacheFromEnv(env) });

/** A background loop a subgraph runs beside its HTTP server (outbox relay, event consumer, sweeper). */
export interface Worker {
  start(): void;
  stop(): Promise<void>;
}

/** A subgraph's share of the event system: its relay and its consumer group, both workers. */
export interface Eventing {
  relay: Relay;
  consumer: Consumer;
}

export function eventing<Tx extends SqlClient>(name: SubgraphName, bus: EventBus, inTx: InTransaction<Tx>, effects: Record<string, EventEffect<Tx>> = {}): Eventing {
  return { relay: createRelay(inTx, name, bus), consumer: createConsumer(bus, inTx, name, effects) };
}

/** An interval task as a worker (e.g. releasing expired reservations); a failure is logged and the next run retries. */
export function intervalWorker(task: () => Promise<unknown>, everyMs: number): Worker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  return {
    start() {
      timer ??= setInterval(() => {
        // A run slower than the interval makes the next tick skip, never queue up behind it.
        running ??= inBackground(task)
          .catch((err: unknown) => logger.error({ err: (err as Error).message }, "background task failed; retrying on the next run"))
          .finally(() => {
            running = null;
          });
      }, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
