import { codedError, ErrorCode, keyMayActFor, PeerError, type Peers, type Scope } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentModel } from "./generated/prisma/models.ts";

const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { retailer { id } } } }`;

/**
 * The retailer that operates a store: stores owns that, so logistics asks it (only for staff operations and
 * staff reads, one call each). Stores that cannot answer is SERVICE_UNAVAILABLE, never a guess.
 */
export async function storeRetailer(peers: Peers, storeId: string): Promise<string | null> {
  try {
    const data = await peers.call<{ _entities: ({ retailer?: { id: string } } | null)[] }>("stores", QUERY, { r: [{ __typename: "Store", id: storeId }] });
    return data._entities[0]?.retailer?.id ?? null;
  } catch (error) {
    if (error instanceof PeerError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "Store owners cannot be checked right now; try again shortly.", { serviceName: "stores" });
    throw error;
  }
}

/**
 * Whether an API key holding `scope` may work on a fulfilment: a platform key on any, a partner key only on one at
 * its own retailer's store (a fulfilment without a store: platform keys only). Members are not keys: false.
 */
export async function keyMayWorkOn(ctx: LogisticsContext, f: FulfillmentModel, scope: Scope): Promise<boolean> {
  if (!keyMayActFor(ctx.caller, scope, ctx.caller.retailerId)) return false; // no key, or not this scope
  if (ctx.caller.retailerId === null) return true;
  return f.storeId !== null && keyMayActFor(ctx.caller, scope, await storeRetailer(ctx.peers, f.storeId));
}
