import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterFor } from "@o2o/runtime";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { createLoaders } from "../src/loaders.ts";
import { AIKO, MINH, SOFIA, WEI, memberRep, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

const PAGE = `orders(first: $first) { edges { node { id total { amount } lines { id quantity product { id } store { id } lineTotal { amount } } } } }`;

async function counted<T>(fn: () => Promise<T>): Promise<{ count: number; result: T }> {
  const before = await h.sqlStatements();
  const result = await fn();
  return { count: (await h.sqlStatements()) - before, result };
}

describe("no N+1", () => {
  it("reads a page of 3 or of 10 orders with all their lines in the same number of statements", async () => {
    const query = `query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on Member { ${PAGE} } } }`;
    const ask = (first: number) => counted(() => h.q(query, { r: memberRep(AIKO), first }, { memberId: AIKO }));
    const three = await ask(3);
    const ten = await ask(10);
    expect(three.result.errors).toBeUndefined();
    expect(ten.result.errors).toBeUndefined();
    expect(ten.result.data!._entities[0].orders.edges).toHaveLength(10);
    expect(ten.result.data!._entities[0].orders.edges.flatMap((e: any) => e.node.lines).length).toBeGreaterThan(10);
    // The page, then every line of every order on it.
    expect(three.count).toBe(2);
    expect(ten.count).toBe(three.count);
  });

  it("reads 2 or 4 pages of orders asked in one _entities call in the same number of statements", async () => {
    const first = await h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { orders(first: 3) { pageInfo { endCursor } } } } }`, { r: memberRep(AIKO) }, { memberId: AIKO });
    const after = first.data!._entities[0].orders.pageInfo.endCursor as string;
    const aliases = (n: number) =>
      Array.from({ length: n }, (_, i) => `p${i}: orders(first: ${i + 1}${i % 2 ? `, after: "${after}"` : ""}) { edges { node { id lines { id } } } }`).join("\n");
    const ask = (n: number) => counted(() => h.q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { ${aliases(n)} } } }`, { r: memberRep(AIKO) }, { memberId: AIKO }));
    const two = await ask(2);
    const four = await ask(4);
    expect(two.result.errors).toBeUndefined();
    expect(four.result.errors).toBeUndefined();
    expect(Object.keys(four.result.data!._entities[0])).toHaveLength(4);
    expect(two.count).toBe(2);
    expect(four.count).toBe(two.count);
  });

  it("batches the order pages and lines of 2 or 4 members into the same statements (the gateway's _entities batch)", async () => {
    // Member.orders is owner-only, so one signed call cannot read four members' orders; the batching underneath
    // (the DataLoaders every resolver goes through) is measured directly on this subgraph's counted connection.
    const prisma = new PrismaClient({ adapter: adapterFor("payments", h.target) });
    try {
      await prisma.customerOrder.count();
      const readPages = async (memberIds: string[]) => {
        const loaders = createLoaders(prisma);
        return counted(async () => {
          const pages = await Promise.all(memberIds.map((memberId) => loaders.orderPage.load({ by: "member", id: memberId, take: 4, after: null })));
          const lines = await Promise.all(pages.flat().map((order) => loaders.linesByOrderId.load(order.id)));
          return { pages, lines };
        });
      };
      const two = await readPages([AIKO, WEI]);
      const four = await readPages([AIKO, WEI, MINH, SOFIA]);
      expect(two.count).toBe(2);
      expect(four.count).toBe(two.count);
      expect(four.result.pages.map((p) => p.length)).toEqual([4, 3, 4, 4]);
      expect(four.result.pages.slice(0, 2)).toEqual(two.result.pages);
      expect(four.result.lines.every((l) => l.length > 0)).toBe(true);
    } finally {
      await prisma.$disconnect();
    }
  });
});
