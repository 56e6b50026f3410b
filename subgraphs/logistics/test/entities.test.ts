import { demoMemberId, seedId } from "@o2o/runtime";
import { parse, print, type EnumTypeDefinitionNode, type ObjectTypeDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULFILLMENTS, SLOTS, UNKNOWN_ID, order, orderReps, seededBookings, startLogistics, store, storeReps, tokyoDate, tokyoInstant, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => void (h = await startLogistics()));
afterAll(async () => h?.stop());

describe("entity contract", () => {
  it("publishes Federation 2 SDL: Store and Order are entities logistics extends", async () => {
    const res = await h.q("{ _service { sdl } }");
    const sdl = res.data!._service.sdl as string;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    // Read the SDL as a document, so the checks do not depend on how @apollo/subgraph prints descriptions.
    const doc = parse(sdl);
    const type = (name: string) => doc.definitions.find((d): d is ObjectTypeDefinitionNode | EnumTypeDefinitionNode => "name" in d && d.name?.value === name);
    const keys = (name: string) => (type(name)?.directives ?? []).filter((d) => d.name.value === "key").map((d) => print(d));
    const fields = (name: string) =>
      Object.fromEntries(((type(name) as ObjectTypeDefinitionNode).fields ?? []).map((f) => [f.name.value, `${f.arguments?.length ? `(${f.arguments.map(print).join(", ")})` : ""}: ${print(f.type)}`]));
    const values = (name: string) => ((type(name) as EnumTypeDefinitionNode).values ?? []).map((v) => v.name.value);

    expect(keys("Store")).toEqual(['@key(fields: "id")']);
    expect(keys("Order")).toEqual(['@key(fields: "id")']);
    // Nullable list: an outage of logistics nulls only this field, not the store the gateway got from stores.
    expect(fields("Store")).toEqual({
      id: ": ID!",
      pickupSlots: "(date: Date!): [PickupSlot!]",
      services: ": [ServiceRate!]",
      serviceSlots: "(date: Date!): [ServiceSlot!]",
      // The counter's queue (issue 6, a shop as a pickup hub).
      fulfillmentQueue: "(status: FulfillmentStatus, first: Int = 20, after: String): FulfillmentConnection",
    });
    // Logistics adds the member's service orders (members owns Member).
    expect(keys("Member")).toEqual(['@key(fields: "id")']);
    expect(fields("Member")).toEqual({ id: ": ID!", serviceOrders: "(first: Int = 10, after: String): ServiceOrderConnection" });
    expect(fields("Order")).toEqual({ id: ": ID!", fulfillment: ": Fulfillment" });
    expect(fields("PickupSlot")).toEqual({ id: ": ID!", startsAt: ": DateTime!", endsAt: ": DateTime!", capacity: ": Int!", capacityLeft: ": Int!" });
    expect(fields("Fulfillment")).toEqual({
      id: ": ID!",
      type: ": FulfillmentType!",
      status: ": FulfillmentStatus!",
      store: ": Store",
      slot: ": PickupSlot",
      order: ": Order!",
      pickupCode: ": String",
      promisedWindow: ": DeliveryWindow",
      requiresPassportCheck: ": Boolean!",
      trackingEvents: ": [TrackingEvent!]!",
    });
    expect(fields("TrackingEvent")).toEqual({ status: ": FulfillmentStatus!", at: ": DateTime!", note: ": String" });
    expect(values("FulfillmentType")).toEqual(["STORE_PICKUP", "CONVENIENCE_PICKUP", "HOME_DELIVERY", "PICKUP_POINT"]);
    expect(values("FulfillmentStatus")).toEqual(["AWAITING_PAYMENT", "PENDING", "READY_FOR_PICKUP", "PICKED_UP", "OUT_FOR_DELIVERY", "DELIVERED", "CANCELLED"]);
  });

  it("resolves Store.pickupSlots through _entities", async () => {
    const day = tokyoDate(1);
    const res = await h.q(SLOTS, { r: storeReps([store("hoshi-ginza"), store("lumen-omotesando")]), date: day });
    expect(res.errors).toBeUndefined();
    const [ginza, showroom] = res.data!._entities as any[];
    expect(ginza.id).toBe(store("hoshi-ginza"));
    expect(ginza.pickupSlots).toHaveLength(9);
    expect(ginza.pickupSlots[0]).toEqual({
      id: seedId("slot", `${store("hoshi-ginza")}@${tokyoInstant(day, 11)}`),
      startsAt: tokyoInstant(day, 11),
      endsAt: tokyoInstant(day, 12),
      capacity: 8,
      capacityLeft: 8 - seededBookings(store("hoshi-ginza"), tokyoInstant(day, 11)),
    });
    expect(ginza.pickupSlots.map((s: any) => s.startsAt)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19].map((hour) => tokyoInstant(day, hour)));
    expect(showroom).toEqual({ id: store("lumen-omotesando"), pickupSlots: [] });
  });

  it("resolves Order.fulfillment through _entities; orders without one are null", async () => {
    // As Wei: the pickup code is shown to the order's member only.
    const res = await h.q(FULFILLMENTS, { r: orderReps([order("wei-1"), UNKNOWN_ID, order("sofia-4"), order("aiko-2")]) }, { memberId: demoMemberId("wei") });
    expect(res.errors).toBeUndefined();
    const [wei, unknown, sofia, aiko] = res.data!._entities as any[];
    expect(wei.fulfillment).toMatchObject({
      id: seedId("fulfillment", "wei-1"),
      type: "STORE_PICKUP",
      status: "PICKED_UP",
      store: { id: store("hoshi-ginza") },
      slot: {
        id: seedId("slot", `${store("hoshi-ginza")}@2026-04-03T05:00:00.000Z`),
        startsAt: "2026-04-03T05:00:00.000Z",
        endsAt: "2026-04-03T06:00:00.000Z",
        capacity: 8,
        capacityLeft: 7,
      },
      requiresPassportCheck: true,
    });
    expect(wei.fulfillment.pickupCode).toMatch(/^\d{6}$/);
    expect(wei.fulfillment.trackingEvents).toEqual([
      { status: "PENDING", at: "2026-04-03T02:30:00.000Z", note: null },
      { status: "READY_FOR_PICKUP", at: "2026-04-03T04:00:00.000Z", note: null },
      { status: "PICKED_UP", at: "2026-04-03T05:20:00.000Z", note: "Passport checked, tax-free" },
    ]);
    expect(unknown).toEqual({ id: UNKNOWN_ID, fulfillment: null });
    // Awaiting payment: the slot (18:00–19:00 in Tokyo) is held, so it has one place less.
    expect(sofia.fulfillment).toMatchObject({
      type: "STORE_PICKUP",
      status: "AWAITING_PAYMENT",
      pickupCode: null,
      store: { id: store("hoshi-shibuya") },
      slot: { startsAt: "2026-11-24T09:00:00.000Z", endsAt: "2026-11-24T10:00:00.000Z", capacity: 8, capacityLeft: 7 },
      requiresPassportCheck: false,
    });
    expect(sofia.fulfillment.trackingEvents).toEqual([{ status: "AWAITING_PAYMENT", at: "2026-11-05T09:20:00.000Z", note: "Slot held until payment" }]);
    expect(aiko.fulfillment).toMatchObject({ type: "HOME_DELIVERY", status: "DELIVERED", store: { id: store("freshway-shinagawa") }, slot: null, pickupCode: null });
    expect(aiko.fulfillment.trackingEvents.map((e: any) => e.status)).toEqual(["PENDING", "OUT_FOR_DELIVERY", "DELIVERED"]);
  });

  it("seeds a fulfilment for every demo order of payments", async () => {
    const keys = [...Array.from({ length: 14 }, (_, i) => `aiko-${i + 1}`), "wei-1", "wei-2", "wei-3", "minh-1", "minh-2", "sofia-1", "sofia-2", "sofia-3", "sofia-4"];
    const res = await h.q(FULFILLMENTS, { r: orderReps(keys.map(order)) });
    expect(res.errors).toBeUndefined();
    const entities = res.data!._entities as any[];
    expect(entities.every((e) => e.fulfillment !== null)).toBe(true);
    const types = new Set(entities.slice(0, 14).map((e) => `${e.fulfillment.type}@${e.fulfillment.store.id}`));
    expect(types).toContain(`STORE_PICKUP@${store("meridian-nihonbashi")}`);
    expect(types).toContain(`CONVENIENCE_PICKUP@${store("corner24-hamamatsucho")}`);
    expect(types).toContain(`HOME_DELIVERY@${store("freshway-shinagawa")}`);
    for (const e of entities.slice(14, 17)) expect(e.fulfillment).toMatchObject({ type: "STORE_PICKUP", store: { id: store("hoshi-ginza") }, requiresPassportCheck: true });
    // Anonymous: no pickup code is shown to anyone but the order's member.
    for (const e of entities) {
      expect(e.fulfillment.pickupCode).toBeNull();
      const at = e.fulfillment.trackingEvents.map((t: any) => t.at);
      expect([...at].sort()).toEqual(at);
      expect(e.fulfillment.trackingEvents.at(-1).status).toBe(e.fulfillment.status);
    }
  });

  it("refuses calls that were not signed by the gateway", async () => {
    const { postGraphQL } = await import("@o2o/runtime/testing");
    const res = await postGraphQL(h.url, "{ _service { sdl } }");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
