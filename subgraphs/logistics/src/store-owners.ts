import { codedError, ErrorCode, keyMayActForAnyOf, PeerError, type Peers, type Scope } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentModel } from "./generated/prisma/models.ts";

const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { retailer { id } } } }`;

/**
 * The retailers that operate stores (null for a store stores does not know): stores owns that, so logistics asks it,
 * only when an API key reads or works on fulfilments. Every store of a request goes in ONE signed `_entities` call
 * (the `storeRetailer` DataLoader batches them). Stores that cannot answer is SERVICE_UNAVAILABLE, never a guess.
 */
export async function storeRetailers(peers: Peers, storeIds: readonly string[]): Promise<(string | null)[]> {
  try {
    const data = await peers.call<{ _entities: ({ retailer?: { id: string } | null } | null)[] }>("stores", QUERY, {
      r: storeIds.map((id) => ({ __typename: "Store", id })),
    });
    return storeIds.map((_, i) => data._entities[i]?.retailer?.id?.toLowerCase() ?? null);
  } catch (error) {
    if (error instanceof PeerError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "Store owners cannot be checked right now; try again shortly.", { serviceName: "stores" });
    throw error;
  }
}

/**
 * Whether an API key holding `scope` may read or work on a fulfilment: a platform key on any, a partner key only on
 * one at its own retailer's store (a fulfilment without a store: platform keys only). Members and services are not
 * keys: false. Stores is asked only for partner keys.
 */
export const keyMayWorkOn = (ctx: LogisticsContext, f: FulfillmentModel, scope: Scope): Promise<boolean> =>
  keyMayActForAnyOf(ctx.caller, scope, async () => (f.storeId === null ? [] : [await ctx.loaders.storeRetailer.load(f.storeId)]));
