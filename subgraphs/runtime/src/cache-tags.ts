import type { Cache } from "./cache.ts";

/**
 * Versioned tags of the shared read cache (the gateway's entity and response caches, gateway/src/fetch-cache.ts).
 *
 * Every cached answer records, next to its data, the version of each tag it depends on as read *before* it was
 * fetched; it is served only while all of them are still current. A change bumps the tags it touches, so every answer
 * that held the old data stops being served at once, on every gateway replica, and an answer fetched while the change
 * was committing is recorded under the old version and never served. No list of keys per tag is kept: invalidation
 * is one INCR per tag.
 *
 * Tags are owned by a subgraph: `stores:Product:<id>` is the stores subgraph's data about a product (its
 * availability), separate from `products:Product:<id>` (name, price). Entity answers (`_entities`) depend on their
 * entity's tag; root-field answers (lists, searches) on the subgraph's root tag, which every change of it bumps.
 */
export const CACHE_VERSION_PREFIX = "o2o:cv:";
/** Versions outlive every cached answer (maxAge ≤ 1 h), so an expired version can never make an old answer current. */
const VERSION_TTL_SECONDS = 24 * 3600;

export const entityTag = (subgraph: string, typename: string, id: string): string => `${subgraph}:${typename}:${id.toLowerCase()}`;
export const rootTag = (subgraph: string): string => `${subgraph}:root`;
export const versionKey = (tag: string): string => CACHE_VERSION_PREFIX + tag;

/**
 * After a change has committed: answers of `subgraph` about these entities (and its root-field answers) are stale.
 * Called by the subgraph that made the change, before it answers, so its caller never reads the old data back.
 */
export async function invalidateEntities(cache: Cache, subgraph: string, typename: string, ids: Iterable<string>): Promise<void> {
  const tags = [rootTag(subgraph), ...new Set([...ids].map((id) => entityTag(subgraph, typename, id)))];
  await cache.bump(tags.map(versionKey), VERSION_TTL_SECONDS);
}

/**
 * Which entities of one type the open transactions of one kind changed (stock rows, slot bookings), so that whoever
 * opened a transaction invalidates them once it has committed; a rolled-back one invalidates nothing. Writers `note`
 * what they change; noting outside such a transaction is a bug that would leave stale answers cached, so it throws
 * (and the transaction rolls back). Invalidating after the commit, never before, is what keeps the cache right: a
 * reader fetching meanwhile records the old version, so its answer is never served.
 */
export function changeTracker<Tx extends object>(subgraph: string, typename: string, what: string) {
  const changedIn = new WeakMap<Tx, Set<string>>();
  return {
    note(tx: Tx, ids: Iterable<string>): void {
      const open = changedIn.get(tx);
      if (!open) throw new Error(`${what} changed outside a tracked transaction: the read cache would keep showing the old data`);
      for (const id of ids) open.add(id.toLowerCase());
    },
    /** Wraps a transaction opener (e.g. `(fn) => prisma.$transaction(fn)`). */
    transactions(begin: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>, cache: Cache): <R>(fn: (tx: Tx) => Promise<R>) => Promise<R> {
      return async (fn) => {
        const ids = new Set<string>();
        const result = await begin((tx) => {
          changedIn.set(tx, ids);
          return fn(tx);
        });
        if (ids.size) await invalidateEntities(cache, subgraph, typename, ids);
        return result;
      };
    },
  };
}
