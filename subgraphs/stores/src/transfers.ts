import { idempotencyKeyError, idempotent, isId, keyMayActFor, refuse, requireScope, seedId, settle, type UserError } from "@o2o/runtime";
import { noteStockChange } from "./cache-invalidation.ts";
import type { StoresContext } from "./context.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import type { StockTransferLineModel, StockTransferModel, StoreModel } from "./generated/prisma/models.ts";

/**
 * `transferPopUpStock`: a pop-up's remaining shelf units go back to a named store of its retailer, all products in
 * one transaction, recorded as a transfer with lines. Units held for orders are not on the shelf (a reservation
 * decrements `quantity` when it is taken, see reservations.ts) and stay with their orders; if such an order is later
 * cancelled, its units return to the pop-up's row as for any store.
 */
type Tx = Prisma.TransactionClient;

export type TransferParent = StockTransferModel & { lines: StockTransferLineModel[] };
export type TransferLineParent = StockTransferLineModel;

/** The stored answer (a replay of the key answers the same transfer, read again). */
export interface TransferAnswer {
  transferId: string | null;
  userErrors: UserError[];
}

export interface TransferInput {
  fromStoreId: string;
  toStoreId: string;
  idempotencyKey: string;
}

/** Formats that hold no shelf stock of their own, or only for a while: not a destination. */
const NOT_A_DESTINATION = ["POP_UP", "SERVICE_CENTRE", "PICKUP_POINT"];

export async function transferPopUpStock(ctx: StoresContext, input: TransferInput): Promise<TransferAnswer> {
  requireScope(ctx.caller, "inventory:write");
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) return { transferId: null, userErrors: [keyError] };
  const scope = `transfer:${ctx.caller.keyId ?? ctx.caller.service ?? "anonymous"}`;
  const transferId = seedId("stock-transfer", `${scope}:${input.idempotencyKey}`);
  const request = { fromStoreId: input.fromStoreId.toLowerCase(), toStoreId: input.toStoreId.toLowerCase() };
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, request, () =>
    settle<TransferAnswer>(
      async () => {
        const from = await ownStore(ctx, input.fromStoreId, "fromStoreId");
        const to = await ownStore(ctx, input.toStoreId, "toStoreId");
        if (from.format !== "POP_UP") refuse("NOT_A_POP_UP", `${from.name} is not a pop-up.`, ["input", "fromStoreId"]);
        if (from.id === to.id) refuse("SAME_STORE", "A pop-up's stock moves to another store.", ["input", "toStoreId"]);
        if (from.retailerId !== to.retailerId) refuse("DIFFERENT_RETAILER", "Stock moves only between stores of one retailer.", ["input", "toStoreId"]);
        if (NOT_A_DESTINATION.includes(to.format)) refuse("INVALID_DESTINATION", `${to.name} cannot take shelf stock (a pop-up, service centre or pickup point).`, ["input", "toStoreId"]);
        await ctx.stockTx((tx) => move(tx, transferId, from, to, ctx.caller.keyId, ctx.now));
        return { transferId, userErrors: [] };
      },
      (userErrors) => ({ transferId: null, userErrors }),
    ),
  );
}

/** A store the key may move stock of; unknown and other retailers' stores answer alike (no existence leak). */
async function ownStore(ctx: StoresContext, id: string, field: string): Promise<StoreModel> {
  const store = isId(id) ? await ctx.prisma.store.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!store || !keyMayActFor(ctx.caller, "inventory:write", store.retailerId)) return refuse("STORE_NOT_FOUND", "No store of yours has that id.", ["input", field]);
  return store;
}

async function move(tx: Tx, transferId: string, from: StoreModel, to: StoreModel, keyId: string | null, now: Date): Promise<void> {
  // Both stores' rows of the products on the pop-up's shelf, locked in the global order (store id, product id) that
  // reservations use, so a concurrent checkout either goes first (and its units stay reserved) or after (and finds 0).
  const locked = await tx.$queryRaw<{ storeId: string; productId: string; quantity: number }[]>`
    SELECT st."store_id"::text AS "storeId", st."product_id"::text AS "productId", st."quantity"
      FROM "stores"."stock" st
     WHERE st."store_id" IN (${from.id}::uuid, ${to.id}::uuid)
       AND st."product_id" IN (SELECT p."product_id" FROM "stores"."stock" p WHERE p."store_id" = ${from.id}::uuid AND p."quantity" > 0)
     ORDER BY st."store_id", st."product_id"
       FOR UPDATE`;
  const moving = locked.filter((r) => r.storeId === from.id && r.quantity > 0).sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  if (!moving.length) refuse("NOTHING_TO_TRANSFER", `${from.name} has no units left on its shelf.`, ["input", "fromStoreId"]);
  await tx.$executeRaw`
    UPDATE "stores"."stock" SET "quantity" = 0, "updated_at" = ${now}
     WHERE "store_id" = ${from.id}::uuid AND "product_id" = ANY(${moving.map((m) => m.productId)}::uuid[])`;
  const recordset = JSON.stringify(moving.map((m) => ({ product_id: m.productId, quantity: m.quantity })));
  await tx.$executeRaw`
    INSERT INTO "stores"."stock" ("store_id", "product_id", "quantity", "updated_at")
    SELECT ${to.id}::uuid, m."product_id", m."quantity", ${now}
      FROM jsonb_to_recordset(${recordset}::jsonb) AS m("product_id" uuid, "quantity" int)
     ORDER BY m."product_id"
    ON CONFLICT ("store_id", "product_id") DO UPDATE SET "quantity" = "stock"."quantity" + EXCLUDED."quantity", "updated_at" = EXCLUDED."updated_at"`;
  noteStockChange(tx, moving.map((m) => m.productId));
  await tx.stockTransfer.create({
    data: {
      id: transferId,
      fromStoreId: from.id,
      toStoreId: to.id,
      keyId,
      createdAt: now,
      lines: { create: moving.map((m, i) => ({ position: i + 1, productId: m.productId, quantity: m.quantity })) },
    },
  });
}

/** The transfer of a stored answer, with its lines in order. */
export function findTransfer(ctx: StoresContext, id: string): Promise<TransferParent | null> {
  return ctx.prisma.stockTransfer.findUnique({ where: { id }, include: { lines: { orderBy: { position: "asc" } } } });
}
