/**
 * Deterministic ids of the scale data set: `5ca1e<kind>-0000-4000-8000-<index as 12 hex digits>`. Valid UUIDs
 * (version 4 and variant bits set), never equal to a demo id (those are SHA-1 based), and in index order, so
 * rows generated in index order arrive in primary-key order (appends to the btree, no page splits).
 */
const KINDS = { brand: "001", category: "002", product: "003", retailer: "004", store: "005", slotPlan: "006" } as const;
export type ScaleIdKind = keyof typeof KINDS;

export function scaleId(kind: ScaleIdKind, index: number): string {
  return `5ca1e${KINDS[kind]}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`;
}
