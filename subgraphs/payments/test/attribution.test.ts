import { demoStoreId } from "@o2o/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPayments, type Harness } from "./support.ts";

// attributedSales: the internal read behind stores' Store.conversion (only the stores service may call it).
let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(() => h?.stop());

const SALES = `query($r: [AttributedSalesRequest!]!) { attributedSales(requests: $r) { orders revenue { amount currency } } }`;
const STORES = { service: "stores" };
const october = (storeKey: string, timeZone = "Asia/Tokyo") => ({ storeId: demoStoreId(storeKey), from: "2026-10-01", to: "2026-10-31", timeZone });

describe("attributedSales", () => {
  it("counts AUTHORIZED, PAID and COMPLETED orders placed within the local dates, per request", async () => {
    const res = await h.q(SALES, { r: [october("lumen-omotesando"), october("corner24-kanda"), { ...october("lumen-omotesando"), from: "2026-09-30", to: "2026-11-01" }] }, STORES);
    expect(res.errors).toBeUndefined();
    expect(res.data!.attributedSales).toEqual([
      { orders: 5, revenue: [{ amount: 104_940, currency: "JPY" }] },
      { orders: 0, revenue: [] },
      { orders: 6, revenue: [{ amount: 109_340, currency: "JPY" }] },
    ]);
  });

  it("takes the days in the given time zone: in UTC, 00:05 on 1 Oct Tokyo is September and 00:10 on 1 Nov is October", async () => {
    const res = await h.q(SALES, { r: [october("lumen-omotesando", "UTC")] }, STORES);
    // minh-3 (6,600) drops out, minh-10 (4,400) comes in.
    expect(res.data!.attributedSales).toEqual([{ orders: 5, revenue: [{ amount: 104_940 - 6_600 + 4_400, currency: "JPY" }] }]);
  });

  it("answers only the stores service; bad requests are BAD_USER_INPUT", async () => {
    for (const caller of [{}, { service: "logistics" }, { keyId: "k", retailerId: null, scopes: ["analytics:read", "orders:read"] }]) {
      const res = await h.q(SALES, { r: [october("lumen-omotesando")] }, caller);
      expect(res.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
      expect(res.data?.attributedSales ?? null).toBeNull();
    }
    for (const bad of [{ storeId: "nope" }, { from: "2026-13-01" }, { to: "2026-09-01" }, { timeZone: "Mars/Olympus" }]) {
      const res = await h.q(SALES, { r: [{ ...october("lumen-omotesando"), ...bad }] }, STORES);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(bad)).toBe("BAD_USER_INPUT");
    }
  });
});
