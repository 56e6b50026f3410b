import { randomUUID } from "node:crypto";

/**
 * One fact a subgraph announces to the others ("payment.captured"). `id` is what consumers
 * deduplicate on: delivery is at-least-once, so the same envelope may arrive more than once.
 */
export interface EventEnvelope<P = Record<string, unknown>> {
  id: string;
  type: string;
  /** The subgraph whose outbox the event came from. */
  source: string;
  occurredAt: string;
  payload: P;
}

export function envelope<P extends Record<string, unknown>>(source: string, type: string, payload: P): EventEnvelope<P> {
  return { id: randomUUID(), type, source, occurredAt: new Date().toISOString(), payload };
}
