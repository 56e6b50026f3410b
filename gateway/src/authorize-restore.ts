import type { DeniedField, DeniedStep } from "./authorize-denied.ts";
import { TYPENAME_KEY } from "./authorize-rewrite.ts";

/**
 * After execution: the response the caller asked for, as if the denied fields had resolved to null.
 * Each denied field becomes null wherever it would have been (every item of a list on the way),
 * only on objects of the types it was selected on; a denied non-null field nulls its parent, and so
 * on up to the first nullable position or `data` itself (GraphQL's null propagation). A value already
 * in place came from a selection the caller may see and is kept. The `__typename`s the rewrite added
 * are removed. `data` is changed in place; the result is it, or null when null reached the top.
 */
export type ResponseData = Record<string, unknown> | null | undefined;

export function restoreDenied(data: ResponseData, denied: readonly DeniedField[]): ResponseData {
  if (!data) return data;
  for (const field of denied) if (field.path.length > 0 && restoreIn(data, field.path, 0)) return null;
  strip(data);
  return data;
}

/** Puts null at `path` below `object`; true when `object` itself must become null. */
function restoreIn(object: Record<string, unknown>, path: readonly DeniedStep[], index: number): boolean {
  const step = path[index]!;
  if (step.on && !step.on.includes(String(object[TYPENAME_KEY]))) return false;
  const last = index === path.length - 1;
  if (last ? object[step.key] !== undefined : !mustBeNull(object[step.key], path, index + 1, step.nullable, 0)) return false;
  object[step.key] = null;
  return step.nullable[0] === false;
}

/** Restores below `value`, found at list depth `depth` of a step's type; true when `value` must become null. */
function mustBeNull(value: unknown, path: readonly DeniedStep[], next: number, nullable: readonly boolean[], depth: number): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!mustBeNull(value[i], path, next, nullable, depth + 1)) continue;
      if (nullable[depth + 1] === false) return true; // a non-null item: the whole list becomes null
      value[i] = null;
    }
    return false;
  }
  return isObject(value) && restoreIn(value, path, next);
}

function strip(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) strip(item);
  else if (isObject(value)) {
    delete value[TYPENAME_KEY];
    for (const key in value) strip(value[key]);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * For each denied field, whether the response holds at least one object it would have been on (checked before
 * restoreDenied). A denied field under a parent that came back null (`me` for an anonymous caller) withheld
 * nothing, so its error is dropped: an anonymous product page does not report `me.orders` as UNAUTHENTICATED.
 */
export function deniedReached(data: ResponseData, denied: readonly DeniedField[]): boolean[] {
  return denied.map((field) => !data || field.path.length <= 1 || reaches(data, field.path, 0));
}

function reaches(value: unknown, path: readonly DeniedStep[], index: number): boolean {
  if (Array.isArray(value)) return value.some((item) => reaches(item, path, index));
  if (!isObject(value)) return false;
  const step = path[index]!;
  if (step.on && !step.on.includes(String(value[TYPENAME_KEY]))) return false;
  return index === path.length - 1 || reaches(value[step.key], path, index + 1);
}
