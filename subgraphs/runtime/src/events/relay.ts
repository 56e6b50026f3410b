import { logger } from "../logger.ts";
import { inBackground, outboxAge } from "../metrics.ts";
import type { EventBus } from "./bus.ts";
import type { EventEnvelope } from "./envelope.ts";
import { table, type InTransaction, type SqlClient } from "./sql.ts";

interface OutboxRow {
  id: bigint | number | string;
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date | string;
}

const BATCH = 200;

/**
 * Moves committed outbox rows onto the bus, oldest first, and marks them published. Rows are
 * locked with SKIP LOCKED so replicas relay disjoint batches; a crash between publish and mark
 * publishes a row again (at-least-once: consumers deduplicate by event id). Returns how many moved.
 */
export async function relayOnce<Tx extends SqlClient>(inTx: InTransaction<Tx>, schema: string, bus: EventBus): Promise<number> {
  return inTx(async (tx) => {
    const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
      `SELECT id, event_id::text AS event_id, type, payload, occurred_at FROM ${table(schema, "outbox_event")}
        WHERE published_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
    );
    outboxAge.labels({ subgraph: schema }).set(rows.length ? Math.max(0, (Date.now() - new Date(rows[0]!.occurred_at).getTime()) / 1000) : 0);
    if (!rows.length) return 0;
    const events: EventEnvelope[] = rows.map((r) => ({
      id: r.event_id,
      type: r.type,
      source: schema,
      occurredAt: new Date(r.occurred_at).toISOString(),
      payload: typeof r.payload === "string" ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload,
    }));
    await bus.publish(events);
    await tx.$executeRawUnsafe(
      `UPDATE ${table(schema, "outbox_event")} SET published_at = now() WHERE id = ANY($1::bigint[])`,
      rows.map((r) => String(r.id)),
    );
    return rows.length;
  });
}

export interface Relay {
  /** Relay now (after a commit that wrote events) instead of waiting for the next poll. */
  kick(): void;
  start(): void;
  stop(): Promise<void>;
}

/** Polls the outbox every `intervalMs` and whenever kicked; a failing bus leaves rows for later. */
export function createRelay<Tx extends SqlClient>(inTx: InTransaction<Tx>, schema: string, bus: EventBus, intervalMs = 250): Relay {
  let active = false;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const drain = async () => {
    while (active && again) {
      again = false;
      try {
        while (active && (await relayOnce(inTx, schema, bus)) === BATCH);
      } catch (err) {
        logger.warn({ err: (err as Error).message, schema }, "outbox relay failed; events stay in the outbox");
      }
    }
  };
  // One drain at a time; kicks during a drain just make it look again once it is done.
  const kick = () => {
    if (!active) return;
    again = true;
    inFlight ??= inBackground(drain).finally(() => {
      inFlight = null;
    });
  };
  return {
    kick,
    start: () => {
      if (active) return;
      active = true;
      timer = setInterval(kick, intervalMs);
      timer.unref();
      kick();
    },
    stop: async () => {
      active = false;
      clearInterval(timer);
      await inFlight;
    },
  };
}
