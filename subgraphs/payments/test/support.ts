import { demoMemberId, seedId } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { createPaymentsSubgraph } from "../src/server.ts";

export type Harness = TestSubgraph;

/** One payments subgraph per test file (fresh database, seeded twice, port 0). */
export const startPayments = (): Promise<Harness> => startTestSubgraph(createPaymentsSubgraph);

export const AIKO = demoMemberId("aiko");
export const WEI = demoMemberId("wei");
export const MINH = demoMemberId("minh");
export const SOFIA = demoMemberId("sofia");
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
export const orderId = (key: string) => seedId("order", key);

/** How many orders the seed gives each member (8 of Minh's credited to the Omotesando showroom, October 2026). */
export const SEEDED = { [AIKO]: 14, [WEI]: 3, [MINH]: 10, [SOFIA]: 4 } as Record<string, number>;
export const MEMBERS = [["Aiko", AIKO], ["Wei", WEI], ["Minh", MINH], ["Sofia", SOFIA]] as const;

export const MONEY = "{ amount currency }";
export const ORDER = `id number member { id } channel status placedAt subtotal ${MONEY} taxFreeAmount ${MONEY} total ${MONEY} attributedStore { id }
  lines { id product { id } store { id } quantity unitPrice ${MONEY} lineTotal ${MONEY} }`;

/** `Member.orders` of one member through `_entities`, the way the gateway asks for it. */
export const MEMBER_ORDERS = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Member {
  id orders(first: $first, after: $after) { edges { cursor node { ${ORDER} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
} } }`;

export const memberRep = (id: string) => [{ __typename: "Member", id }];
