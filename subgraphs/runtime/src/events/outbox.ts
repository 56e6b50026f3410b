import { envelope, type EventEnvelope } from "./envelope.ts";
import { table, type SqlClient } from "./sql.ts";

/**
 * The transactional outbox: an event is a row written by the same transaction as the change that
 * causes it, so it exists exactly when the change committed. The relay publishes it afterwards.
 * Table `<schema>.outbox_event`, created by each subgraph's migration.
 */
export async function enqueue(tx: SqlClient, schema: string, type: string, payload: Record<string, unknown>): Promise<EventEnvelope> {
  const event = envelope(schema, type, payload);
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table(schema, "outbox_event")} (event_id, type, payload, occurred_at) VALUES ($1::uuid, $2, $3::jsonb, $4::timestamptz)`,
    event.id,
    type,
    JSON.stringify(payload),
    event.occurredAt,
  );
  return event;
}
