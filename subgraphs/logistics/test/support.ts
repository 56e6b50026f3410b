import { adapterFor, demoStoreId, seedId } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { SEED_FULFILLMENTS } from "../src/seed.ts";
import { createLogisticsSubgraph } from "../src/server.ts";
import { localDate } from "../src/slots.ts";

export type Harness = TestSubgraph;

/** One logistics subgraph per test file (fresh database, seeded twice, port 0). */
export const startLogistics = (): Promise<Harness> => startTestSubgraph(createLogisticsSubgraph);

/** A Prisma client on the harness's database, for rows the seed does not have (bookings). */
export const prismaFor = (h: Harness) => new PrismaClient({ adapter: adapterFor("logistics", h.target) });

/** The Tokyo calendar day `offset` days from today. */
export function tokyoDate(offset = 0): string {
  const today = localDate(new Date(), "Asia/Tokyo");
  return new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC instant of a Tokyo local day and hour, ISO. */
export const tokyoInstant = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00+09:00`).toISOString();

export const store = (key: string) => demoStoreId(key);
export const order = (key: string) => seedId("order", key);
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

export const SLOTS = `query($r: [_Any!]!, $date: Date!) { _entities(representations: $r) { ... on Store {
  id pickupSlots(date: $date) { id startsAt endsAt capacity capacityLeft }
} } }`;

export const FULFILLMENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order {
  id fulfillment { id type status store { id } slot { id startsAt endsAt capacity capacityLeft } pickupCode requiresPassportCheck
    trackingEvents { status at note } }
} } }`;

export const storeReps = (ids: string[]) => ids.map((id) => ({ __typename: "Store", id }));
export const orderReps = (ids: string[]) => ids.map((id) => ({ __typename: "Order", id }));

/** Non-cancelled seeded fulfilments booked into the slot of `storeId` starting at `startsAt` (ISO): what capacityLeft discounts. */
export const seededBookings = (storeId: string, startsAt: string) =>
  SEED_FULFILLMENTS.filter(
    (f) => f.slot && f.events.at(-1)![0] !== "CANCELLED" && store(f.store) === storeId && tokyoInstant(f.slot[0], f.slot[1]) === startsAt,
  ).length;
