import { logger } from "../logger.ts";
import { eventLag, inBackground } from "../metrics.ts";
import type { EventBus, Subscription } from "./bus.ts";
import type { EventEnvelope } from "./envelope.ts";
import { table, type InTransaction, type SqlClient } from "./sql.ts";

/** What a consumer does with one event type, inside the transaction that records it as processed. */
export type EventEffect<Tx extends SqlClient = SqlClient> = (tx: Tx, event: EventEnvelope) => Promise<void>;

/**
 * Applies `effect` at most once per event id: the id goes into `<schema>.processed_event` in the
 * same transaction as the effect, so a redelivered event finds it and changes nothing, and a
 * failed effect rolls the marker back and is retried. Returns whether the effect ran.
 */
export async function applyOnce<Tx extends SqlClient>(inTx: InTransaction<Tx>, schema: string, consumer: string, event: EventEnvelope, effect: EventEffect<Tx>): Promise<boolean> {
  return inTx(async (tx) => {
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO ${table(schema, "processed_event")} (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
      consumer,
      event.id,
    );
    if (inserted === 0) return false;
    await effect(tx, event);
    return true;
  });
}

export interface Consumer {
  readonly group: string;
  start(): void;
  stop(): Promise<void>;
  readonly running: boolean;
}

/**
 * A subgraph's consumer group: every event type it reacts to, each applied once. Types it does
 * not handle are acknowledged and skipped.
 */
export function createConsumer<Tx extends SqlClient>(bus: EventBus, inTx: InTransaction<Tx>, schema: string, effects: Record<string, EventEffect<Tx>>): Consumer {
  let subscription: Subscription | null = null;
  return {
    group: schema,
    get running() {
      return subscription !== null;
    },
    start() {
      subscription ??= bus.subscribe(schema, async (event) => {
        const effect = effects[event.type];
        if (!effect) return;
        const applied = await inBackground(() => applyOnce(inTx, schema, schema, event, effect));
        // Outbox write to effect applied: relay, bus and consumer delays together (redeliveries of applied events not counted).
        if (applied) eventLag.labels({ consumer: schema }).observe(Math.max(0, (Date.now() - Date.parse(event.occurredAt)) / 1000));
        logger.debug({ consumer: schema, event: event.type, eventId: event.id, applied }, "event consumed");
      });
    },
    async stop() {
      const current = subscription;
      subscription = null;
      await current?.stop();
    },
  };
}
