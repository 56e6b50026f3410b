import { DEMO_PRODUCTS, DEMO_STORES, demoMemberId, demoProductId, demoRetailerId, demoStoreId, seedId } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { cardHash } from "./stored-value.ts";
import { consumptionTaxIn } from "./tax.ts";
import type { OrderChannel, OrderStatus } from "./generated/prisma/enums.ts";

/**
 * The demo orders. Keys (`aiko-1` … `aiko-14`, `wei-1` … `wei-3`, `minh-1`, `minh-2`, `sofia-1` … `sofia-4`) give
 * the ids through seedId("order", key); logistics seeds the fulfilments of exactly these orders. Every line is a
 * demo product at its DEMO_PRODUCTS price, so totals follow from the catalogue. Times are fixed (Tokyo, 2026).
 */
export interface SeedOrder {
  key: string;
  member: string;
  placedAt: string;
  channel: OrderChannel;
  status: OrderStatus;
  /** The store the sale is credited to (stores key), or null for a plain online order. */
  attributedStore: string | null;
  /** A visitor's tax-free purchase: consumption tax is waived on tax-free-eligible lines. */
  taxFree: boolean;
  /** Product name, quantity, store key of the line. */
  lines: [product: string, quantity: number, store: string][];
  /** The store that sold and handed it over, when it is not the attributed one (a showroom): its retailer reads the order. */
  sellingStore?: string;
}

type Row = [key: string, placedAt: string, channel: OrderChannel, status: OrderStatus, attributed: string | null, lines: [string, number, string][]];

const rows = (member: string, taxFree: boolean, list: Row[]): SeedOrder[] =>
  list.map(([key, placedAt, channel, status, attributedStore, lines]) => ({ key, member, placedAt, channel, status, attributedStore, taxFree, lines }));

export const SEED_ORDERS: SeedOrder[] = [
  // Aiko, a Tokyo regular: app pickups at supermarkets and convenience stores, scan & go in department stores, online.
  ...rows("aiko", false, [
    ["aiko-1", "2026-01-18T14:30:00+09:00", "IN_STORE_SCAN", "COMPLETED", "meridian-nihonbashi", [["Cast Iron Teapot", 1, "meridian-nihonbashi"], ["Ceramic Sake Set", 1, "meridian-nihonbashi"]]],
    ["aiko-2", "2026-01-25T18:10:00+09:00", "APP", "COMPLETED", "freshway-shinagawa", [["Cheese Tart (6)", 1, "freshway-shinagawa"], ["Milk Pudding (3)", 1, "freshway-shinagawa"]]],
    ["aiko-3", "2026-02-14T16:20:30+09:00", "IN_STORE_SCAN", "COMPLETED", "meridian-shinjuku", [["Cashmere Scarf", 1, "meridian-shinjuku"]]],
    ["aiko-4", "2026-03-03T19:05:00+09:00", "APP", "COMPLETED", "freshway-nakameguro", [["Sushi Platter for 2", 1, "freshway-nakameguro"], ["Seaweed Salad", 2, "freshway-nakameguro"]]],
    ["aiko-5", "2026-03-20T13:40:00+09:00", "IN_STORE_SCAN", "COMPLETED", "hoshi-ginza", [["Silk Foundation", 1, "hoshi-ginza"], ["Matcha Eye Serum", 1, "hoshi-ginza"]]],
    ["aiko-6", "2026-04-19T08:15:00+09:00", "APP", "COMPLETED", "corner24-kanda", [["Salmon Onigiri Set", 2, "corner24-kanda"]]],
    ["aiko-7", "2026-05-02T15:30:00+09:00", "ONLINE", "COMPLETED", null, [["Leather Card Case", 1, "meridian-nihonbashi"], ["Leather Loafers", 1, "meridian-nihonbashi"]]],
    ["aiko-8", "2026-05-24T17:50:00+09:00", "APP", "COMPLETED", "freshway-kichijoji", [["Frozen Gyoza (30)", 2, "freshway-kichijoji"]]],
    ["aiko-9", "2026-06-15T14:25:00+09:00", "ONLINE", "COMPLETED", null, [["Santoku Knife 165mm", 1, "meridian-yokohama"], ["Whetstone #1000/#6000", 1, "meridian-nihonbashi"]]],
    ["aiko-10", "2026-07-20T18:30:00+09:00", "APP", "CANCELLED", "freshway-kichijoji", [["Fresh Cream Roll Cake", 1, "freshway-kichijoji"]]],
    ["aiko-11", "2026-08-08T15:10:00+09:00", "ONLINE", "REFUNDED", null, [["Travel Headphones", 1, "meridian-shinjuku"]]],
    ["aiko-12", "2026-08-30T10:30:30+09:00", "IN_STORE_SCAN", "COMPLETED", "freshway-shinagawa", [["Drinking Yogurt 900ml", 2, "freshway-shinagawa"], ["Milk Pudding (3)", 1, "freshway-shinagawa"], ["Frozen Gyoza (30)", 1, "freshway-shinagawa"]]],
    ["aiko-13", "2026-09-12T07:55:00+09:00", "APP", "COMPLETED", "corner24-hamamatsucho", [["Tamagoyaki", 1, "corner24-hamamatsucho"], ["Seaweed Salad", 1, "corner24-hamamatsucho"]]],
    ["aiko-14", "2026-10-03T16:45:00+09:00", "ONLINE", "PAID", null, [["Wooden Train Set", 1, "meridian-nihonbashi"], ["Plush Shiba", 1, "meridian-nihonbashi"]]],
  ]),
  // Wei, a visitor from Shanghai: tax-free orders booked through a partner agency, picked up at Hoshi Ginza.
  ...rows("wei", true, [
    ["wei-1", "2026-04-03T11:30:00+09:00", "PARTNER_AGENCY", "COMPLETED", "hoshi-ginza", [["Noise-Cancelling Earbuds", 1, "hoshi-ginza"], ["Matcha KitKat Box", 3, "hoshi-ginza"]]],
    ["wei-2", "2026-04-04T15:00:00+09:00", "PARTNER_AGENCY", "COMPLETED", "hoshi-ginza", [["Hyaluronic Essence", 2, "hoshi-ginza"], ["UV Milk SPF50+", 2, "hoshi-ginza"], ["Tokyo Banana (8)", 2, "hoshi-ginza"]]],
    // Butter Sand is chilled food, not tax-free eligible: it keeps its consumption tax.
    ["wei-3", "2026-11-10T13:15:00+09:00", "PARTNER_AGENCY", "PAID", "hoshi-ginza", [["Camellia Cleansing Oil", 1, "hoshi-ginza"], ["Pearl Toner", 1, "hoshi-ginza"], ["Butter Sand (5)", 1, "hoshi-ginza"]]],
  ]),
  // Minh, a student: scan & go at Meridian, a checkout-free convenience store.
  ...rows("minh", false, [
    ["minh-1", "2026-06-08T12:30:00+09:00", "IN_STORE_SCAN", "COMPLETED", "meridian-shinjuku", [["Bamboo Bento Box", 1, "meridian-shinjuku"]]],
    ["minh-2", "2026-07-19T21:10:00+09:00", "CHECKOUT_FREE", "COMPLETED", "corner24-roppongi", [["Origami Kit", 1, "corner24-roppongi"], ["Yuzu Candy", 2, "corner24-roppongi"]]],
  ]),
  // Sofia, a collector: watches at Hoshi, a showroom-advised online order, one order still awaiting payment.
  ...rows("sofia", false, [
    ["sofia-1", "2026-01-15T15:20:00+09:00", "IN_STORE_SCAN", "COMPLETED", "hoshi-ginza", [["Titanium Chronograph", 1, "hoshi-ginza"]]],
    ["sofia-2", "2026-02-10T14:00:00+09:00", "APP", "COMPLETED", "hoshi-shinjuku", [["Automatic Diver", 1, "hoshi-shinjuku"]]],
    ["sofia-3", "2026-03-01T16:30:30+09:00", "ONLINE", "COMPLETED", "lumen-omotesando", [["Leather Loafers", 1, "meridian-nihonbashi"]]],
    ["sofia-4", "2026-11-05T18:20:00+09:00", "APP", "PENDING_PAYMENT", "hoshi-shibuya", [["Studio Monitor Headphones", 1, "hoshi-shibuya"], ["Slim Quartz Dress Watch", 1, "hoshi-shibuya"]]],
  ]),
  ...SHOWROOM_ORDERS(),
];

/**
 * October 2026 at the Lumen Omotesando showroom: products Minh saw there and bought online, sold and handed over by
 * other stores (their retailers read the orders). Store.conversion counts the AUTHORIZED / PAID / COMPLETED ones
 * placed 2026-10-01..31 in Tokyo: minh-3, -4, -5, -6, -8 = 5 orders, 6,600 + 24,200 + 8,140 + 39,600 + 26,400 =
 * 104,940 JPY. minh-7 (cancelled) and minh-9 (refunded) never count; minh-10 is 10 minutes into November in Tokyo
 * (still October in UTC) and minh-3 5 minutes into October (still September in UTC). Door counts: stores' seed.
 */
function SHOWROOM_ORDERS(): SeedOrder[] {
  const showroom: Row[] = [
    ["minh-3", "2026-10-01T00:05:00+09:00", "ONLINE", "PAID", "lumen-omotesando", [["Canvas Tote", 1, "meridian-nihonbashi"]]],
    ["minh-4", "2026-10-02T19:30:00+09:00", "ONLINE", "COMPLETED", "lumen-omotesando", [["Cashmere Scarf", 1, "meridian-nihonbashi"]]],
    ["minh-5", "2026-10-11T14:05:00+09:00", "APP", "PAID", "lumen-omotesando", [["Hyaluronic Essence", 1, "meridian-shinjuku"], ["Barrier Mist", 1, "meridian-shinjuku"]]],
    ["minh-6", "2026-10-18T16:40:00+09:00", "ONLINE", "COMPLETED", "lumen-omotesando", [["Denim Jacket Selvedge", 1, "hoshi-ginza"]]],
    ["minh-7", "2026-10-20T18:00:00+09:00", "ONLINE", "CANCELLED", "lumen-omotesando", [["Linen Shirt", 1, "meridian-nihonbashi"]]],
    ["minh-8", "2026-10-25T12:15:00+09:00", "APP", "AUTHORIZED", "lumen-omotesando", [["Leather Card Case", 2, "hoshi-shibuya"]]],
    ["minh-9", "2026-10-27T11:20:00+09:00", "ONLINE", "REFUNDED", "lumen-omotesando", [["Ceramide Night Cream", 1, "meridian-shinjuku"]]],
    ["minh-10", "2026-11-01T00:10:00+09:00", "ONLINE", "PAID", "lumen-omotesando", [["Wool Beanie", 1, "hoshi-ginza"]]],
  ];
  return rows("minh", false, showroom).map((o) => ({ ...o, sellingStore: o.lines[0]![2] }));
}


/** Lines, totals and order numbers of the demo orders, computed from the catalogue (no clock, no randomness). */
export function buildSeed(orders: readonly SeedOrder[] = SEED_ORDERS) {
  // Numbers follow the order of placement across all members: O2O-26-000101, -000102, …
  const chronological = [...orders].sort((a, b) => new Date(a.placedAt).getTime() - new Date(b.placedAt).getTime() || a.key.localeCompare(b.key));
  const numberOf = new Map(chronological.map((o, i) => [o.key, `O2O-26-${String(101 + i).padStart(6, "0")}`]));
  return orders.map((o) => {
    const lines = o.lines.map(([name, quantity, storeKey], i) => {
      const product = DEMO_PRODUCTS.find((p) => p.name === name);
      if (!product) throw new Error(`${o.key}: no demo product named "${name}"`);
      if (!DEMO_STORES.some((s) => s.key === storeKey)) throw new Error(`${o.key}: no demo store "${storeKey}"`);
      return {
        id: seedId("order-line", `${o.key}:${i + 1}`),
        orderId: seedId("order", o.key),
        position: i + 1,
        productId: demoProductId(product.sku),
        storeId: demoStoreId(storeKey),
        quantity,
        unitPriceAmount: product.price,
        lineTotalAmount: product.price * quantity,
        taxFreeEligible: product.taxFree,
      };
    });
    const subtotalAmount = lines.reduce((sum, l) => sum + l.lineTotalAmount, 0);
    const taxFreeAmount = o.taxFree ? lines.filter((l) => l.taxFreeEligible).reduce((sum, l) => sum + consumptionTaxIn(l.lineTotalAmount), 0) : 0;
    return {
      order: {
        id: seedId("order", o.key),
        number: numberOf.get(o.key)!,
        memberId: demoMemberId(o.member),
        channel: o.channel,
        status: o.status,
        currency: "JPY",
        subtotalAmount,
        taxFreeAmount,
        totalAmount: subtotalAmount - taxFreeAmount,
        attributedStoreId: o.attributedStore ? demoStoreId(o.attributedStore) : null,
        // Credited to the attributed store's retailer, as checkout does: that retailer's keys see the order.
        sourceRetailerId: o.attributedStore ? demoRetailerId(DEMO_STORES.find((s) => s.key === (o.sellingStore ?? o.attributedStore))!.retailer) : null,
        idempotencyKey: `seed:${o.key}`,
        placedAt: new Date(o.placedAt),
      },
      lines: lines.map(({ taxFreeEligible: _, ...line }) => line),
    };
  });
}

/** The demo orders and their lines: deterministic ids, idempotent (a second run changes nothing). */
export async function seed(prisma: PrismaClient): Promise<void> {
  const built = buildSeed();
  await prisma.customerOrder.createMany({ data: built.map((b) => b.order), skipDuplicates: true });
  await prisma.orderLine.createMany({ data: built.flatMap((b) => b.lines), skipDuplicates: true });
  await prisma.storedValueAccount.createMany({ data: demoStoredValue(), skipDuplicates: true });
  // Aiko can walk into the checkout-free Corner24 Roppongi: her default payment method is a card.
  await prisma.defaultPaymentMethod.createMany({ data: [{ memberId: demoMemberId("aiko"), method: "CARD", cardToken: "tok_visa", updatedAt: new Date("2026-01-01T00:00:00Z") }], skipDuplicates: true });
}

/**
 * Demo stored value: every demo member's wallet balance, a Meridian gift card in Aiko's wallet, and
 * two unbound cards for the sandbox (numbers and PINs in the README: DEMO_PREPAID_CARDS).
 */
export const DEMO_PREPAID_CARDS = [
  { key: "aiko-meridian", number: "6012000000001001", pin: "1001", retailer: "meridian", balance: 3000, member: "aiko" },
  { key: "freshway-gift", number: "6012000000002002", pin: "2002", retailer: "freshway", balance: 5000, member: null },
  { key: "o2o-gift", number: "6012000000003003", pin: "3003", retailer: null, balance: 10000, member: null },
] as const;

const WALLET_BALANCES: Record<string, number> = { aiko: 5000, wei: 20000, minh: 0, sofia: 1500 };

function demoStoredValue() {
  const wallets = Object.entries(WALLET_BALANCES).map(([member, balance]) => ({
    id: seedId("wallet", member),
    kind: "WALLET" as const,
    memberId: demoMemberId(member),
    currency: "JPY",
    balance,
  }));
  const cards = DEMO_PREPAID_CARDS.map((c) => ({
    id: seedId("prepaid-card", c.key),
    kind: "PREPAID_CARD" as const,
    memberId: c.member ? demoMemberId(c.member) : null,
    issuerRetailerId: c.retailer ? demoRetailerId(c.retailer) : null,
    currency: "JPY",
    balance: c.balance,
    numberHash: cardHash(c.number),
    last4: c.number.slice(-4),
    pinHash: cardHash(`${c.number}:${c.pin}`),
    boundAt: c.member ? new Date("2026-10-01T00:00:00Z") : null,
  }));
  return [...wallets, ...cards];
}
