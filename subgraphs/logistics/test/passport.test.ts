import { createMembersSubgraph } from "@o2o/members";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIKO, HAND_OVER, READY, WEI, memberCode, paidPickup, staffDo, staffView, startLifecycle, type Lifecycle } from "./lifecycle.ts";

// Tax-free handover against a real members subgraph: logistics asks it (as service "logistics") whether the
// presented passport is the member's verified one; it never stores passports itself.
let l: Lifecycle;
let members: TestSubgraph;
beforeAll(async () => {
  [l, members] = await Promise.all([startLifecycle(), startTestSubgraph(createMembersSubgraph)]);
  l.wiring.peers.register("members", members.url);
});
afterAll(async () => {
  await l?.stop();
  await members?.stop();
});

const PASSPORT = { number: "EJ1234567", fullName: "CHEN WEI", nationality: "CHN", dateOfBirth: "1990-04-01", expiresOn: "2031-04-01" };

async function readyTaxFree(memberId: string, offset: number) {
  const { input, fulfillmentId } = await paidPickup(l, "hoshi-ginza", offset, { taxFree: true, memberId });
  await staffDo(l.h, READY, { id: fulfillmentId });
  return { fulfillmentId, code: (await memberCode(l.h, input.orderId, memberId))! };
}

describe("tax-free handover", () => {
  it("hands over only against the member's verified passport", async () => {
    const reg = await members.q(`mutation($i: PassportInput!) { registerPassport(input: $i) { identity { status } userErrors { code } } }`, { i: PASSPORT }, { memberId: WEI });
    expect(reg.data).toEqual({ registerPassport: { identity: { status: "VERIFIED" }, userErrors: [] } });
    const { fulfillmentId, code } = await readyTaxFree(WEI, 1);
    const handOver = (passportNumber?: string) => staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code, passportNumber } });
    expect((await handOver()).userErrors).toEqual([{ code: "PASSPORT_REQUIRED", field: ["input", "passportNumber"] }]);
    expect((await handOver("XX0000000")).userErrors).toEqual([{ code: "PASSPORT_MISMATCH", field: ["input", "passportNumber"] }]);
    expect((await staffView(l.h, fulfillmentId)).status).toBe("READY_FOR_PICKUP");
    expect(await handOver(PASSPORT.number)).toEqual({ fulfillment: { id: fulfillmentId, status: "PICKED_UP" }, userErrors: [] });
    expect((await staffView(l.h, fulfillmentId)).trackingEvents.at(-1)).toEqual({ status: "PICKED_UP", note: "Passport checked, tax-free" });
  });

  it("refuses any passport for a member without a verified one", async () => {
    const { fulfillmentId, code } = await readyTaxFree(AIKO, 2);
    const res = await staffDo(l.h, HAND_OVER, { i: { fulfillmentId, pickupCode: code, passportNumber: PASSPORT.number } });
    expect(res.userErrors).toEqual([{ code: "PASSPORT_MISMATCH", field: ["input", "passportNumber"] }]);
  });
});
