export * from "./bus.ts";
export * from "./consumer.ts";
export * from "./envelope.ts";
export * from "./memory-bus.ts";
export * from "./outbox.ts";
export * from "./redis-bus.ts";
export * from "./relay.ts";
export * from "./sql.ts";

import type { EventBus } from "./bus.ts";
import { MemoryBus } from "./memory-bus.ts";
import { RedisBus } from "./redis-bus.ts";

/** Redis Streams when REDIS_URL is set (stream O2O_EVENT_STREAM, default `o2o:events`), else in-process. */
export function eventBusFromEnv(env: NodeJS.ProcessEnv = process.env): EventBus {
  return env.REDIS_URL ? new RedisBus(env.REDIS_URL, env.O2O_EVENT_STREAM ?? "o2o:events") : new MemoryBus();
}
