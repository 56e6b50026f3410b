import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { ANONYMOUS, cacheLookups, versionKey, type Cache } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";
import { actualCost } from "./cost.ts";
import { callerClass, digest, stableJson, type TagVersions } from "./fetch-cache.ts";
import { wrapExecutor } from "./wrap-executor.ts";

/**
 * The response cache, in front of planning and execution: a query operation whose every subgraph fetch was public
 * (fetch-cache.ts) and which answered without errors is kept whole, for the shortest lifetime of its parts, under the
 * operation (after authorization has removed what the caller may not see), its variables and the caller's class. It
 * records the tag versions its parts were read under and is served only while they are all current, so a change
 * that drops one entity's entry drops every whole answer that contained it too. A hit costs two cache reads and no
 * query plan, no subgraph fetch.
 */
export function withResponseCache(gateway: GatewayInterface, cache: Cache): GatewayInterface {
  return wrapExecutor(gateway, (executor) => cachedExecutor(executor, cache));
}

interface Entry {
  v: TagVersions;
  /** Expiry (ms since the epoch): a hit still tells HTTP caches how long the answer stays good. */
  x: number;
  /**
   * The answer's actual cost (fair-use.ts), counted once here. The same as the whole answer's: fields the caller may
   * not see are absent here and null there, and both cost nothing.
   */
  c: number;
  d: Record<string, unknown>;
}

function cachedExecutor(executor: GatewayExecutor, cache: Cache): GatewayExecutor {
  return async (requestContext) => {
    if (requestContext.operation.operation !== "query") return executor(requestContext);
    const context = requestContext.context as Partial<GatewayContext>;
    const { request } = requestContext;
    const key = `o2o:rc:${digest(callerClass(context.caller ?? ANONYMOUS), requestContext.queryHash, request.operationName ?? "", stableJson(request.variables ?? {}))}`;
    const hit = await lookup(cache, key);
    cacheLookups.labels({ layer: "response", subgraph: "", outcome: hit ? "hit" : "miss" }).inc();
    if (hit) {
      context.knownActualCost = hit.c;
      requestContext.overallCachePolicy.restrict({ maxAge: Math.max(0, Math.floor((hit.x - Date.now()) / 1000)), scope: "PUBLIC" });
      return { data: hit.d };
    }

    const versions: TagVersions = {};
    context.cacheVersions = versions;
    const result = await executor(requestContext);
    const policy = requestContext.overallCachePolicy.policyIfCacheable();
    if (policy?.scope === "PUBLIC" && !result.errors?.length && result.data && Object.keys(versions).length > 0) {
      const c = actualCost(requestContext.schema, requestContext.document, request.operationName, request.variables ?? {}, result.data);
      context.knownActualCost = c; // counted once: fair-use.ts reads it for this answer too
      const entry: Entry = { v: versions, x: Date.now() + policy.maxAge * 1000, c, d: result.data };
      void cache.set(key, JSON.stringify(entry), policy.maxAge);
    }
    return result;
  };
}

async function lookup(cache: Cache, key: string): Promise<Entry | null> {
  const raw = await cache.get(key);
  if (!raw) return null;
  const entry = JSON.parse(raw) as Entry;
  const tags = Object.keys(entry.v);
  const current = await cache.getMany(tags.map(versionKey));
  return entry.x > Date.now() && typeof entry.c === "number" && tags.every((tag, i) => (current[i] ?? "0") === entry.v[tag]) ? entry : null;
}

