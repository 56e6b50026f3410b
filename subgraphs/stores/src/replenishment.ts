import {
  byKeys,
  codedError,
  ErrorCode,
  idempotencyKeyError,
  idempotent,
  isId,
  isPlatformKey,
  keyMayActFor,
  parseId,
  parsePage,
  PeerError,
  refuse,
  requireScope,
  seedId,
  settle,
  toConnection,
  type PageArgs,
  type UserError,
} from "@o2o/runtime";
import { applyChange, requireInventoryReader, MAX_NOTE_LENGTH, ownStore } from "./adjustments.ts";
import { fillPages, isNewestCursor, newestIdPages, type NewestPageKey } from "./newest-pages.ts";
import type { StoresContext } from "./context.ts";
import type { Prisma, PrismaClient, ReplenishmentStatus } from "./generated/prisma/client.ts";
import type { ReplenishmentEventModel, ReplenishmentOrderLineModel, ReplenishmentOrderModel, StoreModel } from "./generated/prisma/models.ts";

/**
 * Replenishment orders (issue 6): an independent shop (a store of a retailer of kind INDEPENDENT) reorders stock from
 * the platform. Lines are priced when placed at the wholesale cost, 60 % of the products subgraph's catalogue price
 * rounded down to the currency's minor unit (asked through Peers, like checkout does). The platform moves the order
 * SUBMITTED → CONFIRMED → SHIPPED → DELIVERED; the shop or the platform may cancel it before it ships. DELIVERED adds
 * every line to the shop's stock in the same transaction as the status change (REPLENISHMENT adjustments): the
 * status update is conditional on the status the order had, so a second DELIVERED can never add the stock again.
 */
type Tx = Prisma.TransactionClient;

export const WHOLESALE_PERCENT = 60;
export const MAX_LINES = 50;
export const MAX_LINE_QUANTITY = 999;
/** Days from placing to the expected delivery at the shop. */
export const LEAD_TIME_DAYS = 2;

export type ReplenishmentParent = ReplenishmentOrderModel & { lines: ReplenishmentOrderLineModel[]; events: ReplenishmentEventModel[] };
export type ReplenishmentLineParent = ReplenishmentOrderLineModel & { currency: string };

export interface ReplenishmentAnswer {
  orderId: string | null;
  userErrors: UserError[];
}

/** Which status may follow which; CANCELLED only before the goods leave. */
const NEXT: Record<ReplenishmentStatus, ReplenishmentStatus[]> = {
  SUBMITTED: ["CONFIRMED", "CANCELLED"],
  CONFIRMED: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
};

export const wholesaleCost = (catalogueAmount: number) => Math.floor((catalogueAmount * WHOLESALE_PERCENT) / 100);

const callerScope = (ctx: StoresContext, what: string) => `${what}:${ctx.caller.keyId ?? ctx.caller.service ?? "anonymous"}`;

/** Catalogue prices of products, in `ids` order (null for unknown ones), from the products subgraph. */
async function cataloguePrices(ctx: StoresContext, ids: string[]): Promise<({ amount: number; currency: string } | null)[]> {
  try {
    const data = await ctx.peers.call<{ _entities: ({ price?: { amount: number; currency: string } } | null)[] }>(
      "products",
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { price { amount currency } } } }`,
      { r: ids.map((id) => ({ __typename: "Product", id })) },
    );
    return ids.map((_, i) => data._entities[i]?.price ?? null);
  } catch (error) {
    if (error instanceof PeerError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "The catalogue cannot be read right now; try again shortly.", { serviceName: "products" });
    throw error;
  }
}

/** `YYYY-MM-DD` plus `days`. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface PlaceInput {
  storeId: string;
  lines: { productId: string; quantity: number }[];
  idempotencyKey: string;
}

export async function placeReplenishmentOrder(ctx: StoresContext, input: PlaceInput): Promise<ReplenishmentAnswer> {
  requireScope(ctx.caller, "replenishment:write");
  const refused = (userErrors: UserError[]): ReplenishmentAnswer => ({ orderId: null, userErrors });
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return refused([keyError]);
  const scope = callerScope(ctx, "replenish");
  const orderId = seedId("replenishment-order", `${scope}:${input.idempotencyKey}`);
  const request = { storeId: input.storeId.toLowerCase(), lines: input.lines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity })) };
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, request, () =>
    settle<ReplenishmentAnswer>(async () => {
      if (!input.lines.length) refuse("NO_LINES", "A replenishment order needs at least one line.", ["input", "lines"]);
      if (input.lines.length > MAX_LINES) refuse("TOO_MANY_LINES", `A replenishment order holds at most ${MAX_LINES} lines.`, ["input", "lines"]);
      const seen = new Set<string>();
      input.lines.forEach((l, i) => {
        if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY)
          refuse("INVALID_QUANTITY", `Each quantity must be 1 to ${MAX_LINE_QUANTITY}.`, ["input", "lines", i, "quantity"]);
        if (!isId(l.productId)) refuse("UNKNOWN_PRODUCT", "productId is not a product id.", ["input", "lines", i, "productId"]);
        if (seen.has(l.productId.toLowerCase())) refuse("DUPLICATE_PRODUCT", "Each product goes on one line.", ["input", "lines", i, "productId"]);
        seen.add(l.productId.toLowerCase());
      });
      const store = await ownStore(ctx, input.storeId, "replenishment:write");
      const retailer = await ctx.loaders.retailerById.load(store.retailerId);
      if (retailer?.kind !== "INDEPENDENT") refuse("NOT_INDEPENDENT", `${store.name} is not an independent shop: only INDEPENDENT retailers reorder from the platform.`, ["input", "storeId"]);
      const ids = input.lines.map((l) => l.productId.toLowerCase());
      const prices = await cataloguePrices(ctx, ids);
      const missing = prices.findIndex((p) => p === null);
      if (missing >= 0) refuse("UNKNOWN_PRODUCT", "No product in the catalogue has that id.", ["input", "lines", missing, "productId"]);
      const currency = prices[0]!.currency;
      if (prices.some((p) => p!.currency !== currency)) refuse("MIXED_CURRENCIES", "Every line of one order is priced in one currency.", ["input", "lines"]);
      const lines = input.lines.map((l, i) => ({ position: i + 1, productId: ids[i]!, quantity: l.quantity, unitCostAmount: wholesaleCost(prices[i]!.amount) }));
      const totalAmount = lines.reduce((sum, l) => sum + l.quantity * l.unitCostAmount, 0);
      await ctx.prisma.replenishmentOrder.create({
        data: {
          id: orderId,
          storeId: store.id,
          status: "SUBMITTED",
          currency,
          totalAmount,
          expectedDeliveryOn: new Date(`${addDays(ctx.today, LEAD_TIME_DAYS)}T00:00:00.000Z`),
          keyId: ctx.caller.keyId,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          lines: { create: lines },
          events: { create: [{ status: "SUBMITTED", at: ctx.now, keyId: ctx.caller.keyId }] },
        },
      });
      return { orderId, userErrors: [] };
    }, refused),
  );
}

export interface UpdateInput {
  orderId: string;
  status: ReplenishmentStatus;
  note?: string | null;
  idempotencyKey: string;
}

export async function updateReplenishmentOrder(ctx: StoresContext, input: UpdateInput): Promise<ReplenishmentAnswer> {
  requireScope(ctx.caller, "replenishment:write");
  const refused = (userErrors: UserError[]): ReplenishmentAnswer => ({ orderId: null, userErrors });
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return refused([keyError]);
  const scope = callerScope(ctx, "replenish-status");
  const request = { orderId: input.orderId.toLowerCase(), status: input.status, note: input.note ?? null };
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, request, () =>
    settle<ReplenishmentAnswer>(async () => {
      if (input.note != null && input.note.length > MAX_NOTE_LENGTH) refuse("NOTE_TOO_LONG", `note is at most ${MAX_NOTE_LENGTH} characters.`, ["input", "note"]);
      const order = isId(input.orderId) ? await ctx.prisma.replenishmentOrder.findUnique({ where: { id: input.orderId.toLowerCase() } }) : null;
      const store = order ? await ctx.loaders.storeById.load(order.storeId) : null;
      if (!order || !store || !keyMayActFor(ctx.caller, "replenishment:write", store.retailerId))
        return refuse("ORDER_NOT_FOUND", "No replenishment order of yours has that id.", ["input", "orderId"]);
      if (input.status !== "CANCELLED" && !isPlatformKey(ctx.caller))
        refuse("PLATFORM_ONLY", "Only the platform confirms, ships and delivers replenishment orders; a shop may cancel.", ["input", "status"]);
      if (order.status === input.status) return { orderId: order.id, userErrors: [] };
      if (!NEXT[order.status].includes(input.status))
        refuse("INVALID_TRANSITION", `A ${order.status} replenishment order cannot become ${input.status}.`, ["input", "status"]);
      // A stock transaction: DELIVERED puts the lines on the shelf, and the read cache must see them at once.
      const moved = await ctx.stockTx((tx) => transition(tx, ctx, order, store, input));
      if (!moved) {
        // Another change won the race: the same status reached meanwhile answers like a repeat, anything else refuses.
        const now = await ctx.prisma.replenishmentOrder.findUnique({ where: { id: order.id } });
        if (now?.status !== input.status) refuse("INVALID_TRANSITION", "The order changed meanwhile; read it again.", ["input", "status"]);
      }
      return { orderId: order.id, userErrors: [] };
    }, refused),
  );
}

/** Moves the order and applies the status's effects; false (nothing written) when another change moved it first. */
async function transition(tx: Tx, ctx: StoresContext, order: ReplenishmentOrderModel, store: StoreModel, input: UpdateInput): Promise<boolean> {
  // Conditional on the status just read: of two racing changes one wins, the other finds nothing to update.
  const moved = await tx.replenishmentOrder.updateMany({ where: { id: order.id, status: order.status }, data: { status: input.status, updatedAt: ctx.now } });
  if (moved.count !== 1) return false;
  await tx.replenishmentEvent.create({ data: { orderId: order.id, status: input.status, at: ctx.now, keyId: ctx.caller.keyId, note: input.note ?? null } });
  if (input.status !== "DELIVERED") return true;
  const lines = await tx.replenishmentOrderLine.findMany({ where: { orderId: order.id } });
  // In the global lock order (store, then product id): one store, so by product id.
  const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  for (const line of sorted) {
    await applyChange(
      tx,
      { storeId: store.id, productId: line.productId, delta: line.quantity, reason: "REPLENISHMENT", replenishmentOrderId: order.id, note: `Replenishment ${orderNumber(order.number)}` },
      seedId("stock-adjustment", `replenishment:${order.id}:${line.position}`),
      ctx.caller.keyId,
      ctx.now,
      ["input", "orderId"],
    );
  }
  return true;
}

export const orderNumber = (n: number) => `RO-${String(n).padStart(6, "0")}`;

export function findReplenishmentOrder(ctx: StoresContext, id: string): Promise<ReplenishmentParent | null> {
  return ctx.prisma.replenishmentOrder.findUnique({
    where: { id },
    include: { lines: { orderBy: { position: "asc" } }, events: { orderBy: [{ at: "asc" }, { status: "asc" }] } },
  });
}

export async function replenishmentOrdersById(prisma: PrismaClient, ids: readonly string[]): Promise<(ReplenishmentParent | null)[]> {
  const found = await prisma.replenishmentOrder.findMany({
    where: { id: { in: [...ids] } },
    include: { lines: { orderBy: { position: "asc" } }, events: { orderBy: [{ at: "asc" }, { status: "asc" }] } },
  });
  return byKeys(ids, found, (o) => o.id);
}

/** `Store.replenishmentOrders`: `inventory:read`, a partner key only its own stores. */
export async function storeReplenishmentOrders(ctx: StoresContext, store: StoreModel, args: PageArgs) {
  requireInventoryReader(ctx, store);
  const page = parsePage(args, isNewestCursor);
  const rows = await ctx.loaders.replenishmentPage.load({ storeId: store.id, take: page.take, after: page.after });
  return toConnection(rows, page, (r) => [r.createdAt.toISOString(), r.id]);
}

/** Pages of several stores' replenishment orders (newest first) in one statement, then their lines and events. */
export async function replenishmentPages(prisma: PrismaClient, keys: readonly NewestPageKey[]): Promise<ReplenishmentParent[][]> {
  return fillPages(await newestIdPages(prisma, "replenishment_order", keys), (ids) =>
    prisma.replenishmentOrder.findMany({
      where: { id: { in: ids } },
      include: { lines: { orderBy: { position: "asc" } }, events: { orderBy: [{ at: "asc" }, { status: "asc" }] } },
    }),
  );
}

/** A stored answer's order, read again now (a replay shows the order as it is). */
export async function answerOrder(ctx: StoresContext, answer: ReplenishmentAnswer): Promise<ReplenishmentParent | null> {
  return answer.orderId ? findReplenishmentOrder(ctx, parseId(answer.orderId)) : null;
}
