import { DEMO_MEMBERS, DEMO_RETAILERS, demoMemberId, demoRetailerId, seedId } from "@o2o/runtime";
import { seedClubCards } from "./clubs.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { PointsReason } from "./generated/prisma/enums.ts";

/**
 * One ledger line of the demo story: when (Tokyo time), why, how many points, the statement line, and the
 * order it belongs to (a key for seedId("order", …); a purchase and a redemption at one checkout share it).
 */
type Line = [at: string, reason: PointsReason, points: number, description: string, order?: string];

/**
 * The demo members' points histories, oldest first. Balances and lifetime points are computed from these
 * lines, so the member rows always agree with their ledgers. All timestamps are fixed, in 2026, and strictly
 * increase per member (at a checkout, redeeming comes first and earning on the paid amount 30 s later), so the
 * newest-first order of the API is the booking order and every balance_after follows from the one before.
 */
export const LEDGERS: Record<string, Line[]> = {
  // GOLD: a Tokyo regular whose Meridian Club and FreshWay Points cards were merged in.
  aiko: [
    ["2026-01-06T10:00:00+09:00", "WELCOME_BONUS", 500, "Welcome to O2O Rewards"],
    ["2026-01-06T10:05:00+09:00", "PARTNER_TRANSFER", 5550, "Meridian Club balance merged into O2O Rewards"],
    ["2026-01-18T14:30:00+09:00", "PURCHASE", 1100, "Meridian Nihonbashi: Cast Iron Teapot, Ceramic Sake Set", "aiko-1"],
    ["2026-01-25T18:10:00+09:00", "PURCHASE", 330, "FreshWay Shinagawa pickup: Cheese Tart (6), Milk Pudding (3)", "aiko-2"],
    ["2026-02-11T09:45:00+09:00", "PARTNER_TRANSFER", 1300, "FreshWay Points balance merged into O2O Rewards"],
    ["2026-02-14T16:20:00+09:00", "REDEMPTION", -3000, "Points used at checkout, Meridian Shinjuku", "aiko-3"],
    ["2026-02-14T16:20:30+09:00", "PURCHASE", 2640, "Meridian Shinjuku: Cashmere Scarf", "aiko-3"],
    ["2026-03-03T19:05:00+09:00", "PURCHASE", 420, "FreshWay Naka-Meguro pickup: Sushi Platter for 2", "aiko-4"],
    ["2026-03-20T13:40:00+09:00", "PURCHASE", 1980, "Hoshi Ginza Flagship: Silk Foundation, Matcha Eye Serum", "aiko-5"],
    ["2026-04-05T11:00:00+09:00", "REDEMPTION", -2000, "Reward: ¥2,000 Meridian gift voucher"],
    ["2026-04-19T08:15:00+09:00", "PURCHASE", 260, "Corner24 Kanda pickup: Salmon Onigiri Set", "aiko-6"],
    ["2026-05-02T15:30:00+09:00", "PURCHASE", 3300, "Meridian Nihonbashi: Leather Card Case, Leather Loafers", "aiko-7"],
    ["2026-05-10T10:00:00+09:00", "ADJUSTMENT", 200, "Goodwill credit: late pickup at Meridian Nihonbashi"],
    ["2026-05-24T17:50:00+09:00", "PURCHASE", 240, "FreshWay Kichijoji pickup: Frozen Gyoza (30)", "aiko-8"],
    ["2026-06-01T12:00:00+09:00", "REFUND_REVERSAL", -330, "Points reversed: Leather Card Case returned", "aiko-7"],
    ["2026-06-15T14:25:00+09:00", "PURCHASE", 1430, "Meridian Yokohama: Santoku Knife 165mm", "aiko-9"],
    ["2026-07-07T12:00:00+09:00", "REDEMPTION", -2500, "Reward: Tanabata dessert set, Meridian food hall"],
    ["2026-07-20T18:30:00+09:00", "PURCHASE", 380, "FreshWay Kichijoji pickup: Fresh Cream Roll Cake", "aiko-10"],
    ["2026-08-08T15:10:00+09:00", "PURCHASE", 1200, "Meridian Shinjuku: Travel Headphones", "aiko-11"],
    ["2026-08-30T10:30:00+09:00", "REDEMPTION", -1500, "Points used at checkout, FreshWay Shinagawa", "aiko-12"],
    ["2026-08-30T10:30:30+09:00", "PURCHASE", 150, "FreshWay Shinagawa: weekly groceries", "aiko-12"],
    ["2026-09-12T07:55:00+09:00", "PURCHASE", 120, "Corner24 Hamamatsucho pickup: Tamagoyaki, Seaweed Salad", "aiko-13"],
    ["2026-10-03T16:45:00+09:00", "PURCHASE", 1540, "Meridian Nihonbashi: Wooden Train Set, Plush Shiba", "aiko-14"],
    ["2026-10-25T11:20:00+09:00", "REDEMPTION", -2600, "Reward: Meridian Club autumn event tickets"],
    ["2026-11-02T18:05:00+09:00", "PURCHASE", 410, "FreshWay Naka-Meguro pickup: Butter Sand (5)", "aiko-15"],
    ["2026-11-14T14:00:00+09:00", "PURCHASE", 1280, "Meridian Nihonbashi: Hyaluronic Essence, Ceramide Night Cream", "aiko-16"],
  ],
  // SILVER: a visitor from Shanghai, two trips, tax-free purchases; no partner clubs.
  wei: [
    ["2026-04-02T20:00:00+09:00", "WELCOME_BONUS", 500, "Welcome to O2O Rewards"],
    ["2026-04-03T11:30:00+09:00", "PURCHASE", 2980, "Hoshi Akihabara (tax-free): Noise-Cancelling Earbuds", "wei-1"],
    ["2026-04-04T15:00:00+09:00", "PURCHASE", 1100, "Hoshi Ginza Flagship (tax-free): Hyaluronic Essence, UV Milk SPF50+", "wei-2"],
    ["2026-04-06T09:40:00+09:00", "REDEMPTION", -1000, "Points used at checkout, Hoshi Haneda Airport T3", "wei-3"],
    ["2026-04-06T09:40:30+09:00", "PURCHASE", 880, "Hoshi Haneda Airport T3 (tax-free): Tokyo Banana (8), Matcha KitKat Box", "wei-3"],
    ["2026-11-10T13:15:00+09:00", "PURCHASE", 770, "Hoshi Shibuya Crossing (tax-free): Camellia Cleansing Oil, Pearl Toner", "wei-4"],
    ["2026-11-12T17:45:00+09:00", "PURCHASE", 660, "Lumen Pop-up Harajuku pickup: Canvas Tote", "wei-5"],
    ["2026-11-15T10:10:00+09:00", "REDEMPTION", -500, "Reward: airport lounge coffee voucher"],
  ],
  // BASIC: a student in Tokyo who linked a Meridian Club card.
  minh: [
    ["2026-05-20T19:00:00+09:00", "WELCOME_BONUS", 500, "Welcome to O2O Rewards"],
    ["2026-05-20T19:02:00+09:00", "PARTNER_TRANSFER", 800, "Meridian Club balance merged into O2O Rewards"],
    ["2026-06-08T12:30:00+09:00", "PURCHASE", 330, "Meridian Shinjuku: Bamboo Bento Box", "minh-1"],
    ["2026-07-19T21:10:00+09:00", "PURCHASE", 540, "Corner24 Roppongi: Origami Kit, Yuzu Candy", "minh-2"],
    ["2026-08-22T14:00:00+09:00", "REDEMPTION", -1000, "Reward: ¥1,000 Meridian gift voucher"],
    ["2026-09-27T16:35:00+09:00", "PURCHASE", 220, "Corner24 Kanda pickup: Salmon Onigiri Set", "minh-3"],
    ["2026-10-31T18:00:00+09:00", "PURCHASE", 410, "Meridian Shinjuku: Wool Beanie", "minh-4"],
  ],
  // PLATINUM: a collector of watches and fashion.
  sofia: [
    ["2026-01-02T11:00:00+09:00", "WELCOME_BONUS", 500, "Welcome to O2O Rewards"],
    ["2026-01-15T15:20:00+09:00", "PURCHASE", 8800, "Hoshi Ginza Flagship: Titanium Chronograph", "sofia-1"],
    ["2026-02-10T14:00:00+09:00", "PURCHASE", 6600, "Hoshi Shinjuku East: Automatic Diver", "sofia-2"],
    ["2026-03-01T16:30:00+09:00", "REDEMPTION", -5000, "Points used at checkout, Lumen Omotesando Showroom order", "sofia-3"],
    ["2026-03-01T16:30:30+09:00", "PURCHASE", 4620, "Lumen Omotesando Showroom order: Leather Loafers", "sofia-3"],
    ["2026-04-12T13:10:00+09:00", "PURCHASE", 3960, "Meridian Nihonbashi: Denim Jacket Selvedge", "sofia-4"],
    ["2026-04-30T10:00:00+09:00", "REFUND_REVERSAL", -660, "Points reversed: Denim Jacket Selvedge returned (size)", "sofia-4"],
    ["2026-05-28T17:00:00+09:00", "PURCHASE", 7700, "Hoshi Ginza Flagship: Ceramide Night Cream, Solar Field Watch", "sofia-5"],
    ["2026-06-20T09:30:00+09:00", "ADJUSTMENT", 1000, "Correction: points missing on a showroom order"],
    ["2026-07-14T15:45:00+09:00", "PURCHASE", 5500, "Hoshi Ginza Flagship: Automatic Diver strap service, Cashmere Scarf", "sofia-6"],
    ["2026-08-19T12:00:00+09:00", "REDEMPTION", -10000, "Reward: private shopping evening, Hoshi Ginza"],
    ["2026-09-09T16:00:00+09:00", "PURCHASE", 9240, "Hoshi Ginza Flagship: Titanium Chronograph (gift)", "sofia-7"],
    ["2026-10-10T14:30:00+09:00", "PURCHASE", 4400, "Meridian Yokohama: Silk Furoshiki, Leather Card Case", "sofia-8"],
    ["2026-11-05T18:20:00+09:00", "PURCHASE", 6000, "Hoshi Shibuya Crossing: Studio Monitor Headphones, Slim Quartz Dress Watch", "sofia-9"],
  ],
};

/** Partner-club cards (full numbers; the API masks them) and when they were linked. */
const CARDS: Record<string, Record<string, [memberNumber: string, linkedAt: string]>> = {
  aiko: { meridian: ["MC-7301-4482-1906", "2026-01-06T10:05:00+09:00"], freshway: ["FW-0033-5518-27", "2026-02-11T09:45:00+09:00"] },
  minh: { meridian: ["MC-7301-9025-4417", "2026-05-20T19:02:00+09:00"] },
};

/** Applies the ledger in order: each entry's balance after it, the final balance and lifetime points. */
export function replayLedger(lines: readonly Pick<{ reason: PointsReason; points: number }, "reason" | "points">[]) {
  let balance = 0;
  let lifetime = 0;
  const balances = lines.map(({ reason, points }) => {
    balance += points;
    if (reason !== "REDEMPTION") lifetime += points;
    if (balance < 0) throw new Error("a ledger may never go below zero");
    return balance;
  });
  return { balances, balance, lifetime };
}

/** The demo members, their ledgers and partner memberships: deterministic ids, idempotent (a second run changes nothing). */
export async function seed(prisma: PrismaClient): Promise<void> {
  const members = DEMO_MEMBERS.map((m) => {
    const lines = LEDGERS[m.key] ?? [];
    const times = lines.map(([at]) => new Date(at).getTime());
    if (times.some((t, i) => i > 0 && t <= times[i - 1]!)) throw new Error(`${m.key}'s ledger must be in strictly increasing time order`);
    const replay = replayLedger(lines.map(([, reason, points]) => ({ reason, points })));
    return { demo: m, lines, replay };
  });
  await prisma.member.createMany({
    data: members.map(({ demo, lines, replay }) => ({
      id: demoMemberId(demo.key),
      displayName: demo.displayName,
      email: demo.email,
      pointsBalance: replay.balance,
      lifetimePoints: replay.lifetime,
      createdAt: new Date(lines[0]?.[0] ?? "2026-01-01T00:00:00+09:00"),
    })),
    skipDuplicates: true,
  });
  await prisma.pointsLedgerEntry.createMany({
    data: members.flatMap(({ demo, lines, replay }) =>
      lines.map(([at, reason, points, description, order], i) => {
        const n = String(i + 1).padStart(2, "0");
        return {
          id: seedId("points-ledger-entry", `${demo.key}-${n}`),
          memberId: demoMemberId(demo.key),
          points,
          balanceAfter: replay.balances[i]!,
          reason,
          description,
          orderId: order ? seedId("order", order) : null,
          sourceRetailerId: reason === "PARTNER_TRANSFER" ? clubRetailer(description) : null,
          idempotencyKey: `seed:${demo.key}:${n}`,
          createdAt: new Date(at),
        };
      }),
    ),
    skipDuplicates: true,
  });
  await prisma.partnerMembership.createMany({
    data: DEMO_MEMBERS.flatMap((m) =>
      m.clubs.map((retailerKey) => {
        const retailer = DEMO_RETAILERS.find((r) => r.key === retailerKey);
        const card = CARDS[m.key]?.[retailerKey];
        if (!retailer?.club || !card) throw new Error(`no club card for ${m.key} at ${retailerKey}`);
        return {
          id: seedId("partner-membership", `${m.key}:${retailerKey}`),
          memberId: demoMemberId(m.key),
          retailerId: demoRetailerId(retailerKey),
          clubName: retailer.club,
          memberNumber: card[0],
          linkedAt: new Date(card[1]),
        };
      }),
    ),
    skipDuplicates: true,
  });
  await seedClubCards(prisma);
}

/** The retailer whose club a transfer's description names (merged loyalty: every entry knows its source). */
function clubRetailer(description: string): string | null {
  const retailer = DEMO_RETAILERS.find((r) => r.club && description.startsWith(r.club));
  return retailer ? demoRetailerId(retailer.key) : null;
}
