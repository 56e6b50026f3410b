/**
 * Both gateways must answer the same data before their speed is compared. Order inside lists may differ (ties in a
 * sort, entity batches) and is not a difference; anything else is, reported as the first differing path.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Objects with sorted keys, lists sorted by their elements' canonical text: equal iff equal up to ordering. */
function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k]!)]));
  return value;
}

/** The first path where `a` and `b` differ beyond ordering, with both values; null when they agree. */
export function firstDifference(a: Json, b: Json, path = "data"): string | null {
  const ca = canonical(a);
  const cb = canonical(b);
  if (JSON.stringify(ca) === JSON.stringify(cb)) return null;
  if (Array.isArray(ca) && Array.isArray(cb)) {
    if (ca.length !== cb.length) return `${path}: ${ca.length} vs ${cb.length} items`;
    for (let i = 0; i < ca.length; i++) {
      const d = firstDifference(ca[i]!, cb[i]!, `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (ca && cb && typeof ca === "object" && typeof cb === "object" && !Array.isArray(ca) && !Array.isArray(cb)) {
    for (const key of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
      const d = firstDifference(ca[key] ?? null, cb[key] ?? null, `${path}.${key}`);
      if (d) return d;
    }
  }
  const show = (v: Json) => {
    const text = JSON.stringify(v) ?? "undefined";
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  };
  return `${path}: ${show(a)} vs ${show(b)}`;
}

export type { Json };
