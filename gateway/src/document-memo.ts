import type { DocumentNode } from "graphql";

/**
 * What the gateway works out from an operation and keeps for the next request with the same text: Apollo Server hands
 * every request with the same query text the same parsed document (its document store), so results are kept per
 * document object — and dropped with it — then per `key` (operation name, variables, caller class…), at most `limit`
 * per document (oldest first out). `deps` (schema, access rules) must be the very same objects for a hit, so a
 * reloaded supergraph never reuses an old answer.
 */
export function documentMemo<V>(limit = 256) {
  const byDocument = new WeakMap<DocumentNode, Map<string, { deps: readonly unknown[]; value: V }>>();
  return (document: DocumentNode, key: string, deps: readonly unknown[], compute: () => V): V => {
    let known = byDocument.get(document);
    if (!known) byDocument.set(document, (known = new Map()));
    const hit = known.get(key);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i])) return hit.value;
    const value = compute();
    if (known.size >= limit) known.delete(known.keys().next().value!);
    known.set(key, { deps, value });
    return value;
  };
}
