import type { EventEnvelope } from "./envelope.ts";

/** Handles one event; throwing leaves it unacknowledged, so it is delivered again later. */
export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * Where relayed outbox events travel. Each consumer group (one per consuming subgraph) sees every
 * event once it is subscribed and, after a stop, resumes where it left off: what was published
 * meanwhile is delivered when it returns. Redis Streams in real mode, an in-process log embedded.
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  publish(events: EventEnvelope[]): Promise<void>;
  subscribe(group: string, handler: EventHandler): Subscription;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());
