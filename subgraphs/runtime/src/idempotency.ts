import { createHash } from "node:crypto";
import { sleep } from "./events/bus.ts";
import { table, type SqlClient } from "./events/sql.ts";
import { codedError, ErrorCode } from "./errors.ts";

/** How long a claim protects a request being worked on; after that another attempt may take over. */
const LEASE_SECONDS = 30;
/** How long a duplicate waits for the first attempt's answer before giving up. */
const WAIT_MS = 20_000;

interface RecordRow {
  request_hash: string;
  state: "IN_PROGRESS" | "DONE";
  /** As text, parsed here: drivers differ in whether (and which) JSON they decode themselves. */
  response: string | null;
  expired: boolean;
}

/** A stable fingerprint of a request's meaning (keys sorted), to refuse a key reused for another request. */
export function requestHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)])) : v;
  return createHash("sha256").update(JSON.stringify(canonical(value))).digest("base64url");
}

export const idempotencyKeyReused = () =>
  codedError(ErrorCode.BAD_USER_INPUT, "This idempotency key was already used for a different request.", { reason: "IDEMPOTENCY_KEY_REUSED" });

/**
 * Runs `work` once per (scope, key) and stores its JSON result: a retry, or 20 copies sent at
 * once, get the first attempt's stored answer. The claim is a row in `<schema>.idempotency_record`
 * inserted before any side effect; duplicates wait for it to turn DONE. A claim whose worker died
 * (lease expired) is taken over — `work` must itself be safe to resume (its steps keyed by the same
 * key). If `work` throws, the claim is dropped so the client may retry.
 */
export async function idempotent<T>(db: SqlClient, schema: string, scope: string, key: string, request: unknown, work: () => Promise<T>): Promise<T> {
  const hash = requestHash(request);
  const records = table(schema, "idempotency_record");
  // A row that vanished (its worker failed and released it) is claimed again, an expired lease taken over.
  const claim = () =>
    db.$executeRawUnsafe(
      `INSERT INTO ${records} (scope, key, request_hash, state, locked_until) VALUES ($1, $2, $3, 'IN_PROGRESS', now() + interval '${LEASE_SECONDS} seconds') ON CONFLICT DO NOTHING`,
      scope,
      key,
      hash,
    );
  const takeOver = () =>
    db.$executeRawUnsafe(
      `UPDATE ${records} SET locked_until = now() + interval '${LEASE_SECONDS} seconds' WHERE scope = $1 AND key = $2 AND state = 'IN_PROGRESS' AND locked_until < now()`,
      scope,
      key,
    );
  // The common case, a new key, costs one statement.
  if ((await claim()) === 1) return finish(db, records, scope, key, work);
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const [row] = await db.$queryRawUnsafe<RecordRow[]>(
      `SELECT request_hash, state, response::text AS response, locked_until < now() AS expired FROM ${records} WHERE scope = $1 AND key = $2`,
      scope,
      key,
    );
    if (row && row.request_hash !== hash) throw idempotencyKeyReused();
    if (row?.state === "DONE") return JSON.parse(row.response ?? "null") as T;
    const mine = row ? row.expired && (await takeOver()) === 1 : (await claim()) === 1;
    if (mine) return finish(db, records, scope, key, work);
    if (Date.now() >= deadline) break;
    await sleep(delay);
  }
  throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "The first request with this idempotency key is still being processed; retry with the same key.");
}

async function finish<T>(db: SqlClient, records: string, scope: string, key: string, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await db.$executeRawUnsafe(`DELETE FROM ${records} WHERE scope = $1 AND key = $2 AND state = 'IN_PROGRESS'`, scope, key);
    throw error;
  }
  await db.$executeRawUnsafe(`UPDATE ${records} SET state = 'DONE', response = $3::jsonb WHERE scope = $1 AND key = $2`, scope, key, JSON.stringify(result));
  return result;
}

/** Idempotency keys are client-chosen strings: 1 to 255 printable characters. */
export function validIdempotencyKey(key: string): boolean {
  return key.length >= 1 && key.length <= 255 && /^[\x21-\x7e]+$/.test(key);
}
