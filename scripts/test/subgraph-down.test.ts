import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, tomorrowInTokyo, type TestSupergraph } from "./support.ts";

let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
});
afterAll(async () => t?.stop());

describe("a subgraph that is down", () => {
  it("costs only its own fields: the rest returns, with an error naming the missing service", async () => {
    await t.supergraph.subgraphs.logistics.stop();
    const res = await t.query(
      `query($d: Date!) { product(sku: "HAN-001") { name availability(near: { lat: 35.6717, lng: 139.765 }, first: 2) { quantity store { name pickupSlots(date: $d) { id } } } } }`,
      { d: tomorrowInTokyo() },
    );
    expect(res.data!.product.name).toBe("Sakura Lip Tint");
    const error = res.errors!.find((e) => e.extensions?.code === "SERVICE_UNAVAILABLE");
    expect(error?.extensions?.serviceName).toBe("logistics");
    expect(error?.message).toMatch(/logistics service is unavailable/);
    expect(JSON.stringify(res)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
