import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRetailerId } from "@o2o/runtime";
import { maskMemberNumber } from "../src/loyalty.ts";
import { AIKO, MINH, SOFIA, WEI, startMembers, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startMembers()));
afterAll(async () => h?.stop());

const MEMBERSHIPS = `{ me { memberships { retailer { id } clubName memberNumber linkedAt } } }`;

describe("partner memberships (merged loyalty clubs)", () => {
  it("lists Aiko's Meridian Club and FreshWay Points cards, oldest link first, numbers masked", async () => {
    const res = await h.q(MEMBERSHIPS, {}, { memberId: AIKO });
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.memberships).toEqual([
      { retailer: { id: demoRetailerId("meridian") }, clubName: "Meridian Club", memberNumber: "**-****-****-1906", linkedAt: "2026-01-06T01:05:00.000Z" },
      { retailer: { id: demoRetailerId("freshway") }, clubName: "FreshWay Points", memberNumber: "**-****-**18-27", linkedAt: "2026-02-11T00:45:00.000Z" },
    ]);
    expect(JSON.stringify(res)).not.toContain("7301");
  });

  it("lists Minh's Meridian card and nothing for members without clubs", async () => {
    for (const [memberId, clubs] of [[MINH, ["Meridian Club"]], [WEI, []], [SOFIA, []]] as const) {
      const res = await h.q(MEMBERSHIPS, {}, { memberId });
      expect(res.data!.me.memberships.map((m: any) => m.clubName)).toEqual(clubs);
    }
    const minh = await h.q(MEMBERSHIPS, {}, { memberId: MINH });
    expect(minh.data!.me.memberships[0]).toMatchObject({ retailer: { id: demoRetailerId("meridian") }, memberNumber: "**-****-****-4417" });
  });

  it("masks every letter and digit of a card number but the last 4", () => {
    expect(maskMemberNumber("MC-7301-4482-1906")).toBe("**-****-****-1906");
    expect(maskMemberNumber("1234567890")).toBe("******7890");
    expect(maskMemberNumber("123")).toBe("123");
    expect(maskMemberNumber("")).toBe("");
  });
});
