import { createHash } from "node:crypto";
import { badUserInput } from "./errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs are UUIDs. A malformed one is the caller's mistake: BAD_USER_INPUT, before any SQL runs. */
export function parseId(value: string, what = "id"): string {
  if (!UUID.test(value)) throw badUserInput(`${what} must be a UUID, got "${value.slice(0, 64)}"`, { argument: what });
  return value.toLowerCase();
}

export function isId(value: string): boolean {
  return UUID.test(value);
}

/**
 * A deterministic UUID (v5 layout over SHA-1) for seed data, so every subgraph derives the same id
 * for "store:ginza-1" without reading another subgraph's tables.
 */
export function seedId(kind: string, key: string): string {
  const h = createHash("sha1").update(`o2o:${kind}:${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
