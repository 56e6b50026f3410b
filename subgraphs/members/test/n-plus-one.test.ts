import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, MINH, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Member {
  id tier pointsLedger(first: 5) { edges { node { id balanceAfter } } pageInfo { hasNextPage endCursor } }
  memberships { clubName retailer { id } }
} } }`;

async function statementsFor(ids: string[]) {
  const before = await h.sqlStatements();
  const res = await h.q(ENTITIES, { r: ids.map((id) => ({ __typename: "Member", id })) });
  const after = await h.sqlStatements();
  expect(res.errors).toBeUndefined();
  return { count: after - before, entities: res.data!._entities as any[] };
}

describe("no N+1", () => {
  it("resolves 2 or 4 members with their ledgers and memberships in the same number of SQL statements", async () => {
    const two = await statementsFor([AIKO, WEI]);
    const four = await statementsFor([AIKO, WEI, MINH, SOFIA]);
    expect(two.count).toBeGreaterThan(0);
    expect(four.count).toBe(two.count);
    // members, ledger pages, memberships: one statement each.
    expect(four.count).toBeLessThanOrEqual(3);
    expect(four.entities.map((m) => m.pointsLedger.edges.length)).toEqual([5, 5, 5, 5]);
    expect(four.entities.slice(0, 2)).toEqual(two.entities);
  });

  it("gives each member of a batch its own page, as a lone request would", async () => {
    const { entities } = await statementsFor([SOFIA, AIKO, MINH]);
    for (const [i, memberId] of [SOFIA, AIKO, MINH].entries()) {
      const alone = await h.q(`{ me { pointsLedger(first: 5) { edges { node { id balanceAfter } } pageInfo { hasNextPage endCursor } } } }`, {}, { memberId });
      expect(entities[i].pointsLedger).toEqual(alone.data!.me.pointsLedger);
    }
  });
});
