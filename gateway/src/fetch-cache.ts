import { createHash } from "node:crypto";
import { cacheLookups, entityTag, rootTag, versionKey, type Cache, type Caller } from "@o2o/runtime";

/**
 * The entity cache: subgraph fetches of query operations answered from the shared cache (Redis with REDIS_URL, so
 * every gateway replica shares it; process memory in the embedded mode).
 *
 * - What may be shared is the subgraph's decision: its `@cacheControl` hints make Apollo Server send
 *   `cache-control: max-age=N, public`; answers without it (members, orders, anything private or unhinted) are never
 *   stored. An answer with errors is never stored either.
 * - `_entities` fetches are cached per entity: a listing of 50 products fetches only the products not cached yet, and a
 *   change to one product drops only that product's entry (tags and versions: @o2o/runtime cache-tags.ts).
 * - Keys hold the subgraph, the fetch's query text, its other variables and the caller's *class* (scopes, retailer,
 *   store, partner app; not the member or key id): callers who may see different fields or rows never share an entry.
 */
export interface SubgraphAnswer {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
}

/** A subgraph's answer and for how many seconds it may be shared by every caller of its class (null: it may not). */
export interface Fetched {
  body: SubgraphAnswer;
  maxAge: number | null;
}

export type Send = (variables: Record<string, unknown>) => Promise<Fetched>;

/** The tag versions an operation's answers were read under: the response cache records them with the whole answer. */
export type TagVersions = Record<string, string>;

interface Entry {
  /** Versions of the entry's tags when it was fetched. */
  v: TagVersions;
  /** Expiry (ms since the epoch): a hit's remaining lifetime bounds the response's. */
  x: number;
  d: unknown;
}

interface Unit {
  key: string;
  tags: string[];
}

export class FetchCache {
  constructor(
    private readonly cache: Cache,
    private readonly subgraph: string,
  ) {}

  async fetch(query: string, variables: Record<string, unknown>, caller: Caller, send: Send, versions?: TagVersions): Promise<Fetched> {
    const { representations, ...rest } = variables;
    const reps = Array.isArray(representations) ? (representations as Record<string, unknown>[]) : null;
    const base = digest(callerClass(caller), this.subgraph, query, stableJson(rest));
    const units: Unit[] = reps
      ? reps.map((rep) => ({ key: `o2o:fc:${base}:${digest(stableJson(rep))}`, tags: [entityTag(this.subgraph, String(rep.__typename), idOf(rep))] }))
      : [{ key: `o2o:fc:${base}`, tags: [rootTag(this.subgraph)] }];
    const tags = [...new Set(units.flatMap((u) => u.tags))];
    const found = await this.cache.getMany([...units.map((u) => u.key), ...tags.map(versionKey)]);
    const now = Date.now();
    const current: TagVersions = Object.fromEntries(tags.map((tag, i) => [tag, found[units.length + i] ?? "0"]));
    if (versions) Object.assign(versions, current);
    const entries = units.map((unit, i) => freshEntry(found[i] ?? null, unit.tags, current, now));
    const missing = entries.flatMap((entry, i) => (entry ? [] : [i]));
    count(this.subgraph, units.length - missing.length, missing.length);

    let maxAge = Math.min(...entries.map((e) => (e ? Math.floor((e.x - now) / 1000) : Infinity)));
    let fetched: Fetched | null = null;
    if (missing.length > 0) {
      fetched = await send(reps ? { ...rest, representations: missing.map((i) => reps[i]) } : variables);
      maxAge = fetched.maxAge === null ? 0 : Math.min(maxAge, fetched.maxAge);
      if (fetched.maxAge && fetched.maxAge > 0 && !fetched.body.errors?.length && fetched.body.data) this.store(units, missing, current, fetched, reps !== null);
    }
    return { body: assemble(entries, missing, fetched?.body ?? null, reps !== null), maxAge: maxAge > 0 ? maxAge : null };
  }

  private store(units: Unit[], missing: number[], current: TagVersions, fetched: Fetched, entities: boolean): void {
    const data = fetched.body.data!;
    const values = entities ? ((data._entities as unknown[] | undefined) ?? []) : [data];
    const ttl = fetched.maxAge!;
    missing.forEach((unitIndex, k) => {
      const value = values[k];
      if (value === null || value === undefined) return;
      const unit = units[unitIndex]!;
      const entry: Entry = { v: Object.fromEntries(unit.tags.map((t) => [t, current[t]!])), x: Date.now() + ttl * 1000, d: value };
      // Not awaited: the caller's answer never waits for the cache (ioredis pipelines these writes).
      void this.cache.set(unit.key, JSON.stringify(entry), ttl);
    });
  }
}

/** An entry is served only while every tag it was fetched under is still at that version. */
function freshEntry(raw: string | null, tags: string[], current: TagVersions, now: number): Entry | null {
  if (!raw) return null;
  const entry = JSON.parse(raw) as Entry;
  return entry.x > now && tags.every((tag) => entry.v[tag] === current[tag]) ? entry : null;
}

/** The whole answer from cached entries and the fetched ones, error paths pointing at the caller's own positions. */
function assemble(entries: (Entry | null)[], missing: number[], fetched: SubgraphAnswer | null, entities: boolean): SubgraphAnswer {
  if (!entities) return entries[0] ? { data: entries[0].d as Record<string, unknown> } : fetched!;
  if (!fetched) return { data: { _entities: entries.map((e) => e!.d) } };
  const fetchedEntities = (fetched.data?._entities as unknown[] | undefined) ?? [];
  const position = new Map(missing.map((unitIndex, k) => [unitIndex, k]));
  const merged = entries.map((entry, i) => (entry ? entry.d : (fetchedEntities[position.get(i)!] ?? null)));
  const errors = fetched.errors?.map((error) =>
    error.path?.[0] === "_entities" && typeof error.path[1] === "number" ? { ...error, path: ["_entities", missing[error.path[1]] ?? error.path[1], ...error.path.slice(2)] } : error,
  );
  return { ...fetched, data: { _entities: merged }, ...(errors ? { errors } : {}) };
}

/** Callers who may be answered differently (scopes, retailer binding, device store, partner app) never share entries. */
export function callerClass(caller: Caller): string {
  return [[...caller.scopes].sort().join(","), caller.retailerId ?? "", caller.storeId ?? "", caller.via ?? "", caller.service ?? ""].join("|");
}

function idOf(rep: Record<string, unknown>): string {
  if (typeof rep.id === "string") return rep.id;
  const { __typename: _, ...key } = rep;
  return stableJson(key);
}

export function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 32);
}

/** JSON with object keys sorted, so equal variables make equal keys whatever their order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function count(subgraph: string, hits: number, misses: number): void {
  if (hits) cacheLookups.labels({ layer: "fetch", subgraph, outcome: "hit" }).inc(hits);
  if (misses) cacheLookups.labels({ layer: "fetch", subgraph, outcome: "miss" }).inc(misses);
}
