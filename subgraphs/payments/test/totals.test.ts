import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRODUCTS, demoProductId, demoStoreId } from "@o2o/runtime";
import { consumptionTaxIn } from "../src/tax.ts";
import { MEMBERS, MEMBER_ORDERS, WEI, memberRep, orderId, startPayments, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startPayments()));
afterAll(async () => h?.stop());

const productById = new Map(DEMO_PRODUCTS.map((p) => [demoProductId(p.sku), p]));

async function ordersOf(memberId: string): Promise<any[]> {
  const res = await h.q(MEMBER_ORDERS, { r: memberRep(memberId), first: 100 }, { memberId });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0].orders.edges.map((e: any) => e.node);
}

describe("order totals", () => {
  it.each(MEMBERS)("add up on every one of %s's orders, at catalogue prices", async (_, memberId) => {
    for (const order of await ordersOf(memberId)) {
      expect(order.lines.length).toBeGreaterThan(0);
      for (const line of order.lines) {
        const product = productById.get(line.product.id);
        expect(product, `${order.number}: a demo product`).toBeDefined();
        expect(line.quantity).toBeGreaterThan(0);
        expect(line.unitPrice).toEqual({ amount: product!.price, currency: "JPY" });
        expect(line.lineTotal).toEqual({ amount: product!.price * line.quantity, currency: "JPY" });
      }
      const subtotal = order.lines.reduce((sum: number, l: any) => sum + l.lineTotal.amount, 0);
      expect(order.subtotal).toEqual({ amount: subtotal, currency: "JPY" });
      expect(order.total).toEqual({ amount: order.subtotal.amount - order.taxFreeAmount.amount, currency: "JPY" });
      if (memberId !== WEI) expect(order.taxFreeAmount.amount).toBe(0);
    }
  });

  it("waives the consumption tax on Wei's tax-free partner-agency orders, eligible lines only", async () => {
    const orders = await ordersOf(WEI);
    expect(orders).toHaveLength(3);
    for (const order of orders) {
      expect(order).toMatchObject({ channel: "PARTNER_AGENCY", attributedStore: { id: demoStoreId("hoshi-ginza") } });
      expect(order.lines.every((l: any) => l.store.id === demoStoreId("hoshi-ginza"))).toBe(true);
      const waived = order.lines
        .filter((l: any) => productById.get(l.product.id)!.taxFree)
        .reduce((sum: number, l: any) => sum + Math.round((l.lineTotal.amount * 10) / 110), 0);
      expect(order.taxFreeAmount.amount).toBe(waived);
      expect(waived).toBeGreaterThan(0);
    }
    // wei-1: Noise-Cancelling Earbuds 29,800 + 3 × Matcha KitKat Box 1,080.
    const one = orders.find((o) => o.id === orderId("wei-1"))!;
    expect([one.subtotal.amount, one.taxFreeAmount.amount, one.total.amount]).toEqual([33040, 2709 + 295, 33040 - 3004]);
    // wei-3: the chilled Butter Sand is not eligible and keeps its tax.
    const three = orders.find((o) => o.id === orderId("wei-3"))!;
    expect(three.taxFreeAmount.amount).toBe(consumptionTaxIn(3300) + consumptionTaxIn(3850));
    expect(three.subtotal.amount).toBe(3300 + 3850 + 1350);
  });

  it("rounds the tax contained in a tax-inclusive amount to the nearest yen", () => {
    expect(consumptionTaxIn(1100)).toBe(100);
    expect(consumptionTaxIn(29800)).toBe(2709);
    expect(consumptionTaxIn(3240)).toBe(295);
    expect(consumptionTaxIn(0)).toBe(0);
  });
});
