import { forbidden, isId, keyMayActForAnyOf, parsePage, requireScope, toConnection, type PageArgs } from "@o2o/runtime";
import type { LogisticsContext } from "./context.ts";
import type { FulfillmentStatus } from "./generated/prisma/client.ts";
import type { FulfillmentModel } from "./generated/prisma/models.ts";

/**
 * `Store.fulfillmentQueue` (issue 6, a shop as a pickup hub): the orders a store's counter has to prepare and hand over,
 * oldest first (ties by id). Without `status`: the open ones, PENDING (paid, to prepare) and READY_FOR_PICKUP (waiting
 * at the counter). API keys only (`fulfillment:write`, counter staff): a partner key reads only its own retailer's
 * stores (asked of stores through the `storeRetailer` loader), a platform key any. A queue is read one store at a time.
 */
const OPEN: FulfillmentStatus[] = ["PENDING", "READY_FOR_PICKUP"];

type QueueCursor = [at: string, id: string];
const isQueueCursor = (v: unknown): v is QueueCursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === "string" && isId(v[1]);

export async function fulfillmentQueue(ctx: LogisticsContext, store: { id: string }, args: PageArgs & { status?: FulfillmentStatus | null }) {
  requireScope(ctx.caller, "fulfillment:write");
  if (!(await keyMayActForAnyOf(ctx.caller, "fulfillment:write", async () => [await ctx.loaders.storeRetailer.load(store.id)])))
    throw forbidden("Only API keys of the store's own retailer (or the platform's) read its fulfilment queue.");
  const page = parsePage(args, isQueueCursor);
  const after = page.after ? { at: new Date(page.after[0]), id: page.after[1] } : null;
  const rows: FulfillmentModel[] = await ctx.prisma.fulfillment.findMany({
    where: {
      storeId: store.id.toLowerCase(),
      status: args.status ? args.status : { in: OPEN },
      ...(after ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: page.take,
  });
  return toConnection(rows, page, (f) => [f.createdAt.toISOString(), f.id]);
}
