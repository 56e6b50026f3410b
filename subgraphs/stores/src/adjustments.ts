import { forbidden, idempotencyKeyError, idempotent, isId, keyMayActFor, parsePage, refuse, requireScope, seedId, settle, toConnection, type PageArgs, type Scope, type UserError } from "@o2o/runtime";
import { noteStockChange } from "./cache-invalidation.ts";
import type { StoresContext } from "./context.ts";
import type { Prisma, PrismaClient, StockAdjustmentReason } from "./generated/prisma/client.ts";
import type { StockAdjustmentModel, StoreModel } from "./generated/prisma/models.ts";
import { MAX_STOCK_LEVEL } from "./inventory.ts";
import { fillPages, isNewestCursor, newestIdPages, type NewestPageKey } from "./newest-pages.ts";

/**
 * Stock counts and adjustments with reasons (issue 6). `stock.quantity` is the units on the shelf FOR SALE: a
 * reservation takes its units off it when the order is placed (reservations.ts) and gives them back if the order is
 * cancelled, so units set aside for orders are never part of it. An adjustment changes that same figure, and a count
 * counts it (the shelf, not the units bagged for pickup). Every change locks the stock row first (`FOR UPDATE`, in the
 * global store-then-product order reservations use), so a checkout racing an adjustment runs wholly before or after
 * it, and stock never goes below 0 (NEGATIVE_STOCK, and the table's CHECK behind it).
 */
type Tx = Prisma.TransactionClient;

export const MAX_NOTE_LENGTH = 500;
export const MAX_COUNT_LINES = 200;
/** Reasons a caller may give; REPLENISHMENT is written by delivered replenishment orders only. */
const CALLER_REASONS: StockAdjustmentReason[] = ["DAMAGED", "EXPIRED", "THEFT", "COUNT_CORRECTION", "RETURNED", "OTHER"];

export interface AdjustAnswer {
  adjustmentId: string | null;
  storeId: string | null;
  productId: string | null;
  userErrors: UserError[];
}

export interface CountLineParent {
  productId: string;
  counted: number;
  previousQuantity: number;
  difference: number;
}
export interface StockCountParent {
  id: string;
  storeId: string;
  lines: CountLineParent[];
}
export interface CountAnswer {
  stockCount: StockCountParent | null;
  userErrors: UserError[];
}

/** A store the key may write the stock of; unknown and other retailers' stores answer alike (no existence leak). */
export async function ownStore(ctx: StoresContext, id: string, scope: Scope, field: (string | number)[] = ["input", "storeId"]): Promise<StoreModel> {
  const store = isId(id) ? await ctx.prisma.store.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!store || !keyMayActFor(ctx.caller, scope, store.retailerId)) return refuse("STORE_NOT_FOUND", "No store of yours has that id.", field);
  return store;
}

const callerScope = (ctx: StoresContext, what: string) => `${what}:${ctx.caller.keyId ?? ctx.caller.service ?? "anonymous"}`;

/** Locks a stock row and reads it (null when the store has no row for the product). */
async function lockStock(tx: Tx, storeId: string, productId: string): Promise<number | null> {
  const [row] = await tx.$queryRaw<{ quantity: number }[]>`
    SELECT "quantity" FROM "stores"."stock" WHERE "store_id" = ${storeId}::uuid AND "product_id" = ${productId}::uuid FOR UPDATE`;
  return row ? row.quantity : null;
}

export interface Change {
  storeId: string;
  productId: string;
  delta: number;
  reason: StockAdjustmentReason;
  note?: string | null;
  countId?: string | null;
  replenishmentOrderId?: string | null;
}

/**
 * Applies one change to a locked-or-missing row and records it; the caller runs changes in lock order inside its
 * transaction. A missing row is created by a positive change. Refuses NEGATIVE_STOCK (the transaction rolls back).
 */
export async function applyChange(tx: Tx, change: Change, id: string, keyId: string | null, now: Date, field: (string | number)[]): Promise<StockAdjustmentModel> {
  const before = (await lockStock(tx, change.storeId, change.productId)) ?? 0;
  const after = before + change.delta;
  if (after < 0) refuse("NEGATIVE_STOCK", `The shelf holds ${before}; it cannot lose ${-change.delta}.`, field);
  if (after > MAX_STOCK_LEVEL) refuse("INVALID_DELTA", `A stock level is at most ${MAX_STOCK_LEVEL}.`, field);
  await tx.$executeRaw`
    INSERT INTO "stores"."stock" ("store_id", "product_id", "quantity", "updated_at") VALUES (${change.storeId}::uuid, ${change.productId}::uuid, ${after}, ${now})
    ON CONFLICT ("store_id", "product_id") DO UPDATE SET "quantity" = EXCLUDED."quantity", "updated_at" = EXCLUDED."updated_at"`;
  noteStockChange(tx, [change.productId]);
  return tx.stockAdjustment.create({
    data: {
      id,
      storeId: change.storeId,
      productId: change.productId,
      delta: change.delta,
      reason: change.reason,
      quantityBefore: before,
      quantityAfter: after,
      note: change.note ?? null,
      keyId,
      countId: change.countId ?? null,
      replenishmentOrderId: change.replenishmentOrderId ?? null,
      createdAt: now,
    },
  });
}

export interface AdjustStockInput {
  storeId: string;
  productId: string;
  delta: number;
  reason: StockAdjustmentReason;
  note?: string | null;
  idempotencyKey: string;
}

/** `adjustStock`: one reasoned change of one stock row, idempotent per key. */
export async function adjustStock(ctx: StoresContext, input: AdjustStockInput): Promise<AdjustAnswer> {
  requireScope(ctx.caller, "inventory:write");
  const refused = (userErrors: UserError[]): AdjustAnswer => ({ adjustmentId: null, storeId: null, productId: null, userErrors });
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return refused([keyError]);
  const scope = callerScope(ctx, "adjust");
  const id = seedId("stock-adjustment", `${scope}:${input.idempotencyKey}`);
  const request = { storeId: input.storeId.toLowerCase(), productId: input.productId.toLowerCase(), delta: input.delta, reason: input.reason, note: input.note ?? null };
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, request, () =>
    settle<AdjustAnswer>(async () => {
      if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_STOCK_LEVEL)
        refuse("INVALID_DELTA", `delta must be a non-zero whole number, at most ${MAX_STOCK_LEVEL} either way.`, ["input", "delta"]);
      if (!CALLER_REASONS.includes(input.reason)) refuse("INVALID_REASON", "REPLENISHMENT is recorded by delivered replenishment orders only.", ["input", "reason"]);
      if (input.note != null && input.note.length > MAX_NOTE_LENGTH) refuse("NOTE_TOO_LONG", `note is at most ${MAX_NOTE_LENGTH} characters.`, ["input", "note"]);
      if (!isId(input.productId)) refuse("UNKNOWN_PRODUCT", "productId is not a product id.", ["input", "productId"]);
      const store = await ownStore(ctx, input.storeId, "inventory:write");
      const productId = input.productId.toLowerCase();
      await ctx.stockTx((tx) =>
        applyChange(tx, { storeId: store.id, productId, delta: input.delta, reason: input.reason, note: input.note }, id, ctx.caller.keyId, ctx.now, ["input", "delta"]),
      );
      return { adjustmentId: id, storeId: store.id, productId, userErrors: [] };
    }, refused),
  );
}

export interface RecordStockCountInput {
  storeId: string;
  counts: { productId: string; counted: number }[];
  idempotencyKey: string;
}

/** `recordStockCount`: counted figures replace the shelf quantities; each difference is a COUNT_CORRECTION. */
export async function recordStockCount(ctx: StoresContext, input: RecordStockCountInput): Promise<CountAnswer> {
  requireScope(ctx.caller, "inventory:write");
  const refused = (userErrors: UserError[]): CountAnswer => ({ stockCount: null, userErrors });
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return refused([keyError]);
  const scope = callerScope(ctx, "count");
  const countId = seedId("stock-count", `${scope}:${input.idempotencyKey}`);
  const request = { storeId: input.storeId.toLowerCase(), counts: input.counts.map((c) => ({ productId: c.productId.toLowerCase(), counted: c.counted })) };
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, request, () =>
    settle<CountAnswer>(async () => {
      if (!input.counts.length) refuse("NO_LINES", "A count needs at least one product.", ["input", "counts"]);
      if (input.counts.length > MAX_COUNT_LINES) refuse("TOO_MANY_LINES", `A count holds at most ${MAX_COUNT_LINES} products.`, ["input", "counts"]);
      const seen = new Set<string>();
      input.counts.forEach((c, i) => {
        if (!isId(c.productId)) refuse("UNKNOWN_PRODUCT", "productId is not a product id.", ["input", "counts", i, "productId"]);
        if (!Number.isInteger(c.counted) || c.counted < 0 || c.counted > MAX_STOCK_LEVEL)
          refuse("INVALID_COUNT", `counted must be a whole number from 0 to ${MAX_STOCK_LEVEL}.`, ["input", "counts", i, "counted"]);
        if (seen.has(c.productId.toLowerCase())) refuse("DUPLICATE_PRODUCT", "Each product is counted once.", ["input", "counts", i, "productId"]);
        seen.add(c.productId.toLowerCase());
      });
      const store = await ownStore(ctx, input.storeId, "inventory:write");
      const lines = await ctx.stockTx(async (tx) => {
        const ordered = input.counts.map((c, i) => ({ i, productId: c.productId.toLowerCase(), counted: c.counted })).sort((a, b) => (a.productId < b.productId ? -1 : 1));
        const out: CountLineParent[] = new Array(input.counts.length);
        for (const c of ordered) {
          const before = (await lockStock(tx, store.id, c.productId)) ?? 0;
          const difference = c.counted - before;
          out[c.i] = { productId: c.productId, counted: c.counted, previousQuantity: before, difference };
          if (difference !== 0) {
            await applyChange(tx, { storeId: store.id, productId: c.productId, delta: difference, reason: "COUNT_CORRECTION", countId }, seedId("stock-adjustment", `${countId}:${c.productId}`), ctx.caller.keyId, ctx.now, ["input", "counts", c.i, "counted"]);
          }
        }
        return out;
      });
      return { stockCount: { id: countId, storeId: store.id, lines }, userErrors: [] };
    }, refused),
  );
}

/** Reading a store's adjustments: `inventory:read`, a partner key only its own stores. */
export function requireInventoryReader(ctx: StoresContext, store: StoreModel): void {
  requireScope(ctx.caller, "inventory:read");
  if (!keyMayActFor(ctx.caller, "inventory:read", store.retailerId)) throw forbidden("This key may read only its own retailer's stores' stock.");
}

/** `Store.stockAdjustments`: newest first; every store of a request in one statement (loader `adjustmentPage`). */
export async function storeAdjustments(ctx: StoresContext, store: StoreModel, args: PageArgs) {
  requireInventoryReader(ctx, store);
  const page = parsePage(args, isNewestCursor);
  const rows = await ctx.loaders.adjustmentPage.load({ storeId: store.id, take: page.take, after: page.after });
  return toConnection(rows, page, (r) => [r.createdAt.toISOString(), r.id]);
}

export async function adjustmentPages(prisma: PrismaClient, keys: readonly NewestPageKey[]): Promise<StockAdjustmentModel[][]> {
  return fillPages(await newestIdPages(prisma, "stock_adjustment", keys), (ids) => prisma.stockAdjustment.findMany({ where: { id: { in: ids } } }));
}
