import { enqueue, greatCircleKm, idempotent, seedId, type Peers, refuse, type UserError, settle } from "@o2o/runtime";
import type { PaymentsContext } from "./context.ts";
import type { CheckoutInput } from "./generated/graphql.ts";
import { consumptionTaxIn } from "./tax.ts";
import { catalogue, holdFulfillment, identityVerified, releaseFulfillment, releaseStock, reserveStock, storeFacts, type CatalogueItem, type StoreFacts } from "./siblings.ts";
import { checkoutInputErrors } from "./checkout-input.ts";
import { attributedStoreOf, refuseDisplayStock } from "./attribution.ts";
import { nextOrderNumber, orderLineRows } from "./new-orders.ts";

/** What a checkout answers (stored for replays of its idempotency key): the order, or why not. */
export type CheckoutResult = { orderId: string; userErrors: [] } | { orderId?: undefined; userErrors: UserError[] };

/** How long an unpaid order holds its stock (the stores subgraph's default reservation). */
const PAY_WITHIN_MS = 15 * 60_000;

/**
 * `checkout`: validate the shape, then — once per (member, idempotency key) — read prices and store facts,
 * reserve stock (stores), hold the slot (logistics) and write the order with its `order.placed` event.
 * A refusal after a sibling already acted is compensated (stock and slot released), so nothing is left behind.
 */
export async function checkout(ctx: PaymentsContext, memberId: string, input: CheckoutInput): Promise<CheckoutResult> {
  const errors = checkoutInputErrors(input);
  if (errors.length) return { userErrors: errors };
  // The order id follows from the key: a retry that takes over a crashed attempt reuses stores' and logistics' work.
  const orderId = seedId("order", `${memberId}:${input.idempotencyKey}`);
  return idempotent(ctx.prisma, "payments", `checkout:${memberId}`, input.idempotencyKey, input, async () => {
    return settle<CheckoutResult>(() => placeOrder(ctx, memberId, orderId, input), (userErrors) => ({ userErrors }));
  });
}

interface Priced {
  productId: string;
  storeId: string | null;
  quantity: number;
  item: CatalogueItem;
}

async function placeOrder(ctx: PaymentsContext, memberId: string, orderId: string, input: CheckoutInput): Promise<{ orderId: string; userErrors: [] }> {
  const priced = await priceLines(ctx.peers, input);
  const pickup = input.fulfillment?.type === "HOME_DELIVERY" ? null : (input.fulfillment?.storeId ?? null);
  const lineStoreIds = [...new Set(priced.flatMap((l) => (l.storeId ? [l.storeId] : [])))];
  const facts = await knownStores(ctx.peers, [...new Set([...(pickup ? [pickup] : []), ...lineStoreIds])], input.attributedStoreId?.toLowerCase());
  refuseDisplayStock(input, priced, facts);
  const attribution = attributedStoreOf(input, facts);
  if (input.taxFree) await checkTaxFree(ctx.peers, memberId, pickup ? facts.get(pickup)! : null, priced);

  const deliverTo = deliveryPoint(input, pickup ? facts.get(pickup)! : null);
  // What siblings may hold for this order: set before each call (a call that failed in flight may have acted),
  // cleared when the sibling answered with a refusal (then it did nothing).
  const taken: Taken = { slot: false, stock: false };
  try {
    // A pickup's slot is checked and held before any stock moves (slot problems are the commoner refusals);
    // a delivery's store is only known once stock is found, so it is held after.
    if (pickup) await hold(ctx, taken, orderId, memberId, input, facts.get(pickup)!, priced);
    taken.stock = true;
    const reservation = await reserveStock(ctx.peers, orderId, priced.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity })), deliverTo, input.fulfillment?.maxDistanceKm ?? null);
    if (!reservation.ok) taken.stock = false;
    if (!reservation.ok) refuse(reservation.code ?? "OUT_OF_STOCK", reservation.message ?? "Not enough stock.", ["input", "lines"]);
    const lines = priced.map((l, i) => ({ ...l, storeId: reservation.lines[i]?.storeId ?? l.storeId! }));
    // The store that sells and hands over; its retailer's keys read the order. The sale is credited to it too,
    // unless the checkout names another store (a showroom's "buy online": attributedStoreId).
    const selling = pickup ?? lines[0]!.storeId;
    const store = facts.get(selling) ?? (await knownStores(ctx.peers, [selling])).get(selling)!;
    if (input.fulfillment && !pickup) await hold(ctx, taken, orderId, memberId, input, store, priced);
    const attributed = attribution ?? selling;
    await writeOrder(ctx, { orderId, memberId, input, lines, attributed, retailerId: store.retailer.id, payBy: reservation.expiresAt });
    return { orderId, userErrors: [] };
  } catch (error) {
    await compensate(ctx, orderId, memberId, taken);
    throw error;
  }
}

/** Holds the fulfilment at `store` (pickup store, or the store that dispatches a delivery), or refuses. */
async function hold(ctx: PaymentsContext, taken: Taken, orderId: string, memberId: string, input: CheckoutInput, store: StoreFacts, priced: Priced[]): Promise<void> {
  const f = input.fulfillment!;
  taken.slot = true;
  const held = await holdFulfillment(ctx.peers, {
    orderId,
    memberId,
    type: f.type,
    storeId: store.id,
    slotId: f.slotId ?? null,
    storeFormat: store.format,
    storeCapabilities: store.capabilities,
    temperatureClasses: [...new Set(priced.map((l) => l.item.temperatureClass))],
    taxFree: input.taxFree ?? false,
    address: f.address ? addressOf(f.address) : null,
    deliveryDistanceKm: f.type === "HOME_DELIVERY" && f.address ? greatCircleKm(store.location, f.address) : null,
  });
  if (!held.ok) taken.slot = false;
  if (!held.ok) refuse(held.code ?? "FULFILLMENT_REFUSED", held.message ?? "The fulfilment cannot be booked.", ["input", "fulfillment"]);
}

interface Taken {
  slot: boolean;
  stock: boolean;
}

/**
 * Gives back what siblings may hold for an order that will not exist: at once when they answer (both calls are
 * idempotent), else through an `order.cancelled` event, which stores and logistics apply when they can.
 */
async function compensate(ctx: PaymentsContext, orderId: string, memberId: string, taken: Taken): Promise<void> {
  const calls = await Promise.allSettled([taken.slot ? releaseFulfillment(ctx.peers, orderId) : null, taken.stock ? releaseStock(ctx.peers, orderId) : null]);
  if (calls.every((c) => c.status === "fulfilled")) return;
  await ctx.prisma.$transaction((tx) => enqueue(tx, "payments", "order.cancelled", { orderId, memberId, reason: "CHECKOUT_FAILED" }));
  ctx.kick();
}

async function priceLines(peers: Peers, input: CheckoutInput): Promise<Priced[]> {
  const items = await catalogue(peers, input.lines.map((l) => l.productId));
  const pickupStore = input.fulfillment?.type === "STORE_PICKUP" ? (input.fulfillment.storeId ?? null) : null;
  const priced = input.lines.map((line, i) => {
    const item = items[i] ?? refuse("UNKNOWN_PRODUCT", `No product has the id ${line.productId}.`, ["input", "lines", i, "productId"]);
    return { productId: line.productId.toLowerCase(), storeId: (line.storeId ?? pickupStore)?.toLowerCase() ?? null, quantity: line.quantity, item };
  });
  if (new Set(priced.map((l) => l.item.price.currency)).size > 1) refuse("MIXED_CURRENCIES", "All lines of an order must be priced in one currency.", ["input", "lines"]);
  return priced;
}

/**
 * The facts of `ids` (each must exist, else UNKNOWN_STORE) and, in the same call, of `optional` when given (absent
 * from the map when unknown: its caller refuses with its own field).
 */
async function knownStores(peers: Peers, ids: string[], optional?: string): Promise<Map<string, StoreFacts>> {
  const extra = optional && !ids.includes(optional) ? [optional] : [];
  const found = await storeFacts(peers, [...ids, ...extra]);
  const map = new Map<string, StoreFacts>();
  ids.forEach((id, i) => {
    const store = found[i] ?? refuse("UNKNOWN_STORE", `No store has the id ${id}.`, ["input"]);
    map.set(id, store);
  });
  if (extra.length && found[ids.length]) map.set(extra[0]!, found[ids.length]!);
  return map;
}

async function checkTaxFree(peers: Peers, memberId: string, pickup: StoreFacts | null, lines: Priced[]): Promise<void> {
  if (!pickup?.capabilities.includes("TAX_FREE")) refuse("STORE_NOT_TAX_FREE", "Tax-free orders must be picked up in a store with the TAX_FREE capability.", ["input", "fulfillment", "storeId"]);
  if (!lines.some((l) => l.item.taxFreeEligible)) refuse("NOT_TAX_FREE_ELIGIBLE", "None of these products can be bought tax-free.", ["input", "lines"]);
  if (!(await identityVerified(peers, memberId))) refuse("PASSPORT_NOT_VERIFIED", "Register a valid passport (registerPassport) before buying tax-free.", ["input", "taxFree"]);
}

/** Where stock for lines without a store is sent from: nearest to the delivery address or the pickup point. */
function deliveryPoint(input: CheckoutInput, pickup: StoreFacts | null): { lat: number; lng: number } | null {
  const address = input.fulfillment?.address;
  if (input.fulfillment?.type === "HOME_DELIVERY" && address) return { lat: address.lat, lng: address.lng };
  return pickup ? pickup.location : null;
}

const addressOf = (a: NonNullable<NonNullable<CheckoutInput["fulfillment"]>["address"]>) => ({
  recipient: a.recipient,
  line1: a.line1,
  city: a.city,
  postalCode: a.postalCode,
  country: a.country,
});

interface NewOrder {
  orderId: string;
  memberId: string;
  input: CheckoutInput;
  lines: (Priced & { storeId: string })[];
  attributed: string;
  retailerId: string;
  payBy: string | null;
}

/** The order, its lines and `order.placed`, in one transaction. */
async function writeOrder(ctx: PaymentsContext, o: NewOrder): Promise<void> {
  const currency = o.lines[0]!.item.price.currency;
  const rows = orderLineRows(o.orderId, o.lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity, unitPrice: l.item.price.amount })));
  const subtotal = rows.reduce((sum, r) => sum + r.lineTotalAmount, 0);
  const taxFreeAmount = o.input.taxFree ? o.lines.reduce((sum, l, i) => sum + (l.item.taxFreeEligible ? consumptionTaxIn(rows[i]!.lineTotalAmount) : 0), 0) : 0;
  const now = new Date();
  await ctx.prisma.$transaction(async (tx) => {
    await tx.customerOrder.create({
      data: {
        id: o.orderId,
        number: await nextOrderNumber(tx, now),
        memberId: o.memberId,
        channel: o.input.channel,
        status: "PENDING_PAYMENT",
        currency,
        subtotalAmount: subtotal,
        taxFreeAmount,
        totalAmount: subtotal - taxFreeAmount,
        attributedStoreId: o.attributed,
        sourceRetailerId: o.retailerId,
        // A member booking through a partner's app (X-Api-Key): the partner's keys may read the order too.
        placedViaRetailerId: ctx.caller.via,
        taxFree: o.input.taxFree ?? false,
        hasFulfillment: o.input.fulfillment != null,
        payBy: o.payBy ? new Date(o.payBy) : new Date(now.getTime() + PAY_WITHIN_MS),
        placedAt: now,
        idempotencyKey: `checkout:${o.memberId}:${o.input.idempotencyKey}`,
        lines: { create: rows },
      },
    });
    await enqueue(tx, "payments", "order.placed", {
      orderId: o.orderId,
      memberId: o.memberId,
      channel: o.input.channel,
      currency,
      total: subtotal - taxFreeAmount,
      lines: o.lines.map((l) => ({ productId: l.productId, storeId: l.storeId, quantity: l.quantity })),
    });
  });
  ctx.kick();
}

