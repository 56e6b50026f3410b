import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterFor, seedId } from "@o2o/runtime";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { AIKO, MEMBERS, MEMBER_ORDERS, SEEDED, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

interface Node { id: string; placedAt: string; [k: string]: any }
interface Page { edges: { cursor: string; node: Node }[]; pageInfo: Record<string, any> }

async function page(memberId: string, first: number | null, after: string | null): Promise<Page> {
  const res = await h.q(MEMBER_ORDERS, { r: memberRep(memberId), first, after }, { memberId });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0].orders as Page;
}

async function walk(memberId: string, first: number): Promise<Node[]> {
  const seen: Node[] = [];
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

describe("Member.orders", () => {
  it("pages Aiko's 14 orders newest first: 10 by default, then 4", async () => {
    const one = await page(AIKO, null, null);
    expect(one.edges).toHaveLength(10);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: one.edges[0]!.cursor, endCursor: one.edges[9]!.cursor });
    expect(one.edges.map((e) => e.node.id)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5].map((n) => orderId(`aiko-${n}`)));
    expect(one.edges[0]!.node).toMatchObject({ placedAt: "2026-10-03T07:45:00.000Z", status: "PAID", channel: "ONLINE" });
    const two = await page(AIKO, null, one.pageInfo.endCursor);
    expect(two.edges.map((e) => e.node.id)).toEqual([4, 3, 2, 1].map((n) => orderId(`aiko-${n}`)));
    expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(new Set(one.edges.concat(two.edges).map((e) => e.node.channel))).toEqual(new Set(["APP", "ONLINE", "IN_STORE_SCAN"]));
  });

  it.each(MEMBERS)("walks %s's orders at every page size without gaps or repeats", async (_, memberId) => {
    const all = (await page(memberId, 100, null)).edges.map((e) => e.node);
    expect(all).toHaveLength(SEEDED[memberId]!);
    expect(all.every((o) => o.member.id === memberId)).toBe(true);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.placedAt > all[i]!.placedAt).toBe(true);
    for (const size of [1, 2, 3, 5, 10]) expect((await walk(memberId, size)).map((o) => o.id)).toEqual(all.map((o) => o.id));
  });

  it("answers first: 0 with no edges but a next page", async () => {
    const p = await page(WEI, 0, null);
    expect(p.edges).toEqual([]);
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
  });

  it("pages without gaps or repeats through orders placed at the same instant (ties broken by id)", async () => {
    const prisma = new PrismaClient({ adapter: adapterFor("payments", h.target) });
    const memberId = seedId("member", "tie-test");
    const at = new Date("2026-12-01T03:00:00.000Z");
    try {
      await prisma.customerOrder.createMany({
        data: Array.from({ length: 9 }, (_, i) => ({
          id: seedId("order", `tie-test-${i}`),
          number: `O2O-26-9000${i}`,
          memberId,
          channel: "APP" as const,
          status: "PAID" as const,
          currency: "JPY",
          subtotalAmount: 100,
          taxFreeAmount: 0,
          totalAmount: 100,
          placedAt: i < 2 ? new Date(at.getTime() - 60_000 * (i + 1)) : at,
        })),
      });
    } finally {
      await prisma.$disconnect();
    }
    const all = (await page(memberId, 100, null)).edges.map((e) => e.node);
    expect(all).toHaveLength(9);
    const tied = all.slice(0, 7);
    expect(tied.every((o) => o.placedAt === at.toISOString())).toBe(true);
    expect(tied.map((o) => o.id)).toEqual(tied.map((o) => o.id).sort());
    expect(all.slice(7).map((o) => o.number)).toEqual(["O2O-26-90000", "O2O-26-90001"]);
    for (const size of [1, 2, 3, 4, 6]) expect((await walk(memberId, size)).map((o) => o.id)).toEqual(all.map((o) => o.id));
  });
});
