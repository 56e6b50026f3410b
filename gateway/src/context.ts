import type { Caller } from "@o2o/runtime";
import type { Access } from "./auth.ts";
import type { TagVersions } from "./fetch-cache.ts";
import type { ThrottleStatus } from "./throttle.ts";

/** What every stage after authentication sees about the request. */
export interface GatewayContext {
  /** Forwarded, signed, to every subgraph (execute.ts); the same as `access.caller`. */
  caller: Caller;
  /** `caller` signed for the subgraphs, made by the first fetch of the request (execute.ts). */
  signedCaller?: string;
  access: Access;
  requestId: string;
  /** Filled by the fair-use stage: the cost taken from the caller's bucket, reported in `extensions.cost`. */
  cost?: { requested: number; status: ThrottleStatus | null };
  /** Filled by the fetches of a query operation (fetch-cache.ts): the cache tag versions its answer was read under. */
  cacheVersions?: TagVersions;
  /** Set by the response cache when it stores or serves an answer: its actual cost, counted once. */
  knownActualCost?: number;
}
