import { randomUUID } from "node:crypto";
import { adapterFor, envelope, withSqlTransaction, type Caller } from "@o2o/runtime";
import { expect } from "vitest";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { stockTransactions } from "../src/cache-invalidation.ts";
import { releaseExpiredReservations } from "../src/settlement.ts";
import { productId, storeId, type Harness } from "./support.ts";

/** Helpers for the reservation tests: calls as payments, stock set with SQL, read back over GraphQL. */

export const PAYMENTS: Partial<Caller> = { service: "payments" };

export const RESERVE = `mutation($o: ID!, $l: [ReservationLineInput!]!, $d: GeoPointInput, $ttl: Int) {
  reserveStock(orderId: $o, lines: $l, deliverTo: $d, ttlSeconds: $ttl) { ok code message productId storeId expiresAt lines { productId storeId quantity } }
}`;
export const RELEASE = `mutation($o: ID!) { releaseStock(orderId: $o) }`;
const INVENTORY = `query($r: [_Any!]!, $s: ID!) { _entities(representations: $r) { ... on Product { inventory(storeId: $s) { quantity } } } }`;

export interface Reservation {
  ok: boolean;
  code: string | null;
  message: string | null;
  productId: string | null;
  storeId: string | null;
  expiresAt: string | null;
  lines: { productId: string; storeId: string; quantity: number }[];
}

export type Line = { productId: string; storeId?: string; quantity: number };
export const line = (store: string, sku: string, quantity: number): Line => ({ productId: productId(sku), storeId: storeId(store), quantity });
export const delivered = (sku: string, quantity: number): Line => ({ productId: productId(sku), quantity });

export function reservationHelpers(h: Harness) {
  const sql = <R>(q: string, p: unknown[] = []) => withSqlTransaction(h.target, (tx) => tx.query<R>(q, p));
  const helpers = {
    sql,
    /** Sets one stock row directly in the test's database (the API has no stock-writing mutation). */
    setStock: (store: string, sku: string, quantity: number) =>
      sql(
        `INSERT INTO stores.stock (store_id, product_id, quantity) VALUES ($1, $2, $3)
         ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
        [storeId(store), productId(sku), quantity],
      ),
    /** Units on hand read back over GraphQL (`Product.inventory(storeId)`); null when the store does not stock it. */
    stockOf: async (store: string, sku: string): Promise<number | null> => {
      const res = await h.q<{ _entities: { inventory: { quantity: number } | null }[] }>(INVENTORY, { r: [{ __typename: "Product", id: productId(sku) }], s: storeId(store) });
      expect(res.errors).toBeUndefined();
      return res.data!._entities[0]!.inventory?.quantity ?? null;
    },
    reserve: async (orderId: string, lines: Line[], deliverTo?: { lat: number; lng: number }, ttl?: number): Promise<Reservation> => {
      const res = await h.q<{ reserveStock: Reservation }>(RESERVE, { o: orderId, l: lines, d: deliverTo, ttl }, PAYMENTS);
      expect(res.errors).toBeUndefined();
      return res.data!.reserveStock;
    },
    /** A fresh order holding `quantity` of one product in one store (its stock set to `onShelf` first). */
    held: async (store: string, sku: string, quantity: number, onShelf = quantity) => {
      await helpers.setStock(store, sku, onShelf);
      const orderId = randomUUID();
      expect((await helpers.reserve(orderId, [line(store, sku, quantity)])).ok).toBe(true);
      return orderId;
    },
    status: async (orderId: string) =>
      (await sql<{ status: string; release_reason: string | null }>(`SELECT status::text, release_reason FROM stores.stock_reservation WHERE order_id = $1`, [orderId]))[0],
    /** The events this subgraph wrote for an order, oldest first. */
    outbox: (orderId: string) =>
      sql<{ type: string; payload: Record<string, unknown> }>(`SELECT type, payload FROM stores.outbox_event WHERE payload->>'orderId' = $1 ORDER BY id`, [orderId]),
    /** Runs the expiry sweeper once, as if the clock read `now` (invalidating in the subgraph's cache, as its own sweeper does). */
    sweep: async (now: Date) => {
      const prisma = new PrismaClient({ adapter: adapterFor("stores", h.target) });
      try {
        return await releaseExpiredReservations(prisma, stockTransactions(prisma, h.wiring.cache), now);
      } finally {
        await prisma.$disconnect();
      }
    },
    /** Publishes payments' events onto the subgraph's bus. */
    publish: (...events: ReturnType<typeof envelope>[]) => h.wiring.bus.publish(events),
  };
  return helpers;
}

/** Polls until `check` holds (up to 5 s). */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}
