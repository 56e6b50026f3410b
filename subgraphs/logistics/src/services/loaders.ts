import { byKeys, groupByKeys } from "@o2o/runtime";
import DataLoader from "dataloader";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ServiceLegEventModel, ServiceLegModel, ServiceOfferingModel, ServiceOrderEventModel, ServiceOrderModel } from "../generated/prisma/models.ts";
import type { SlotDayKey } from "../slots.ts";
import { bookedServiceSlots, ratesOfStores, serviceSlotsForDays } from "./catalogue.ts";
import type { ServiceRateParent, ServiceSlotParent } from "./parents.ts";
import { serviceOrderPages, type ServiceOrderPageKey } from "./reads.ts";

/** The service centres' batchers (spread into the subgraph's loaders): one statement per kind per tick. */
export function createServiceLoaders(prisma: PrismaClient) {
  return {
    serviceRatesByStore: new DataLoader<string, ServiceRateParent[]>((storeIds) => ratesOfStores(prisma, storeIds)),
    serviceSlotsByStoreDay: new DataLoader<SlotDayKey, ServiceSlotParent[], string>((keys) => serviceSlotsForDays(prisma, keys), {
      cacheKeyFn: (k) => `${k.storeId}@${k.date}`,
    }),
    bookedServiceSlot: new DataLoader<{ storeId: string; startsAt: Date; endsAt: Date }, ServiceSlotParent, string>((keys) => bookedServiceSlots(prisma, keys), {
      cacheKeyFn: (k) => `${k.storeId}@${k.startsAt.toISOString()}`,
    }),
    serviceOfferingById: new DataLoader<string, ServiceOfferingModel | null>(async (ids) =>
      byKeys(ids, await prisma.serviceOffering.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id),
    ),
    serviceOrderById: new DataLoader<string, ServiceOrderModel | null>(async (ids) =>
      byKeys(ids, await prisma.serviceOrder.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id),
    ),
    serviceEventsByOrder: new DataLoader<string, ServiceOrderEventModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.serviceOrderEvent.findMany({ where: { serviceOrderId: { in: [...ids] } }, orderBy: [{ at: "asc" }, { id: "asc" }] }), (e) => e.serviceOrderId),
    ),
    serviceLegsByOrder: new DataLoader<string, ServiceLegModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.serviceLeg.findMany({ where: { serviceOrderId: { in: [...ids] } }, orderBy: [{ createdAt: "asc" }, { kind: "asc" }] }), (l) => l.serviceOrderId),
    ),
    serviceLegEventsByLeg: new DataLoader<string, ServiceLegEventModel[]>(async (ids) =>
      groupByKeys(ids, await prisma.serviceLegEvent.findMany({ where: { legId: { in: [...ids] } }, orderBy: [{ at: "asc" }, { id: "asc" }] }), (e) => e.legId),
    ),
    /** One page of one member's service orders per key; all keys of a tick in one statement. */
    serviceOrderPage: new DataLoader<ServiceOrderPageKey, ServiceOrderModel[], string>((keys) => serviceOrderPages(prisma, keys), {
      cacheKeyFn: (k) => JSON.stringify([k.memberId, k.take, k.after]),
    }),
  };
}
