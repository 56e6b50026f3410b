import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterFor, seedId } from "@o2o/runtime";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { AIKO, MINH, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

interface Entry { id: string; points: number; balanceAfter: number; reason: string; description: string; createdAt: string; orderId: string | null }
const ENTRY = "id points balanceAfter reason description createdAt orderId";
const SEEDED = { [AIKO]: 26, [WEI]: 8, [MINH]: 7, [SOFIA]: 14 };
const MEMBERS = [["Aiko", AIKO], ["Wei", WEI], ["Minh", MINH], ["Sofia", SOFIA]] as const;

async function page(memberId: string, first: number | null, after: string | null) {
  const res = await h.q(
    `query($first: Int, $after: String) { me { pointsLedger(first: $first, after: $after) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
    { first, after },
    { memberId },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.me.pointsLedger as { edges: { cursor: string; node: Entry }[]; pageInfo: Record<string, any> };
}

async function walk(memberId: string, first: number): Promise<Entry[]> {
  const seen: Entry[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const p = await page(memberId, first, after);
    expect(p.edges.length).toBeLessThanOrEqual(first);
    expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
    seen.push(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasNextPage) return seen;
    expect(p.edges.length).toBe(first);
    after = p.pageInfo.endCursor;
  }
  throw new Error("paging did not end");
}

describe("points ledger", () => {
  it("pages Aiko's ledger newest first with the default page size of 20", async () => {
    const one = await page(AIKO, null, null);
    expect(one.edges).toHaveLength(20);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: one.edges[0]!.cursor, endCursor: one.edges[19]!.cursor });
    expect(one.edges[0]!.node).toMatchObject({ reason: "PURCHASE", points: 1280, balanceAfter: 12400, createdAt: "2026-11-14T05:00:00.000Z" });
    const two = await page(AIKO, null, one.pageInfo.endCursor);
    expect(two.edges).toHaveLength(6);
    expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(two.edges.at(-1)!.node).toMatchObject({ reason: "WELCOME_BONUS", points: 500, balanceAfter: 500, orderId: null, description: "Welcome to O2O Rewards" });
  });

  it.each(MEMBERS)("walks %s's whole ledger at every page size without gaps or repeats", async (_, memberId) => {
    const all = (await page(memberId, 100, null)).edges.map((e) => e.node);
    expect(all).toHaveLength(SEEDED[memberId]!);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    // Newest first: the seeded ledgers are in strictly increasing booking time.
    for (let i = 1; i < all.length; i++) {
      const [prev, cur] = [all[i - 1]!, all[i]!];
      expect(prev.createdAt >= cur.createdAt).toBe(true);
      expect(prev.createdAt > cur.createdAt).toBe(true);
    }
    for (const size of [1, 2, 3, 5, 7, 13]) {
      expect((await walk(memberId, size)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    }
  });

  it.each(MEMBERS)("keeps %s's balances consistent with the entries and the member", async (_, memberId) => {
    const res = await h.q(`{ me { pointsBalance lifetimePoints pointsLedger(first: 100) { edges { node { ${ENTRY} } } } } }`, {}, { memberId });
    const me = res.data!.me;
    const oldestFirst: Entry[] = me.pointsLedger.edges.map((e: any) => e.node).reverse();
    let balance = 0;
    for (const entry of oldestFirst) {
      balance += entry.points;
      expect(entry.balanceAfter).toBe(balance);
      expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
      expect(entry.points).not.toBe(0);
      if (entry.reason === "REDEMPTION" || entry.reason === "REFUND_REVERSAL") expect(entry.points).toBeLessThan(0);
      if (entry.reason === "PURCHASE" || entry.reason === "REFUND_REVERSAL") expect(entry.orderId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(balance).toBe(me.pointsBalance);
    expect(oldestFirst.at(-1)!.balanceAfter).toBe(me.pointsBalance);
    const lifetime = oldestFirst.filter((e) => e.reason !== "REDEMPTION").reduce((sum, e) => sum + e.points, 0);
    expect(lifetime).toBe(me.lifetimePoints);
  });

  it("answers first: 0 with no edges but a next page", async () => {
    const p = await page(WEI, 0, null);
    expect(p.edges).toEqual([]);
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
  });

  it("reuses a refunded purchase's order id on its reversal", async () => {
    const all = (await page(AIKO, 100, null)).edges.map((e) => e.node);
    const reversal = all.find((e) => e.reason === "REFUND_REVERSAL")!;
    const purchase = all.find((e) => e.reason === "PURCHASE" && e.orderId === reversal.orderId)!;
    expect(purchase.createdAt < reversal.createdAt).toBe(true);
  });

  it("pages without gaps or repeats through entries booked at the same instant (ties broken by id)", async () => {
    const prisma = new PrismaClient({ adapter: adapterFor("members", h.target) });
    const memberId = seedId("member", "tie-test");
    const at = new Date("2026-12-01T03:00:00.000Z");
    try {
      await prisma.member.create({ data: { id: memberId, displayName: "Tie Test", email: "tie@example.jp", pointsBalance: 0, lifetimePoints: 0, createdAt: at } });
      await prisma.pointsLedgerEntry.createMany({
        data: Array.from({ length: 9 }, (_, i) => ({
          id: seedId("points-ledger-entry", `tie-test-${i}`),
          memberId,
          points: 10,
          balanceAfter: 10 * (i + 1),
          reason: "ADJUSTMENT" as const,
          description: `tie ${i}`,
          createdAt: i < 2 ? new Date(at.getTime() - 60_000 * (i + 1)) : at,
        })),
      });
    } finally {
      await prisma.$disconnect();
    }
    const all = (await page(memberId, 100, null)).edges.map((e) => e.node);
    expect(all).toHaveLength(9);
    const tied = all.slice(0, 7);
    expect(tied.every((e) => e.createdAt === at.toISOString())).toBe(true);
    expect(tied.map((e) => e.id)).toEqual(tied.map((e) => e.id).sort());
    expect(all.slice(7).map((e) => e.description)).toEqual(["tie 0", "tie 1"]);
    for (const size of [1, 2, 3, 4, 6]) expect((await walk(memberId, size)).map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});
