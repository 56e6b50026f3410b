import type { Caller } from "@o2o/runtime";

/** What every stage after authentication sees about the request. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
}
