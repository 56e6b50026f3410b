import { demoMemberId } from "@o2o/runtime";
import { startTestSubgraph, type TestSubgraph } from "@o2o/runtime/testing";
import { createMembersSubgraph } from "../src/server.ts";

export type Harness = TestSubgraph;

/** One members subgraph per test file (fresh database, seeded twice, port 0). */
export const startMembers = (): Promise<Harness> => startTestSubgraph(createMembersSubgraph);

export const AIKO = demoMemberId("aiko");
export const WEI = demoMemberId("wei");
export const MINH = demoMemberId("minh");
export const SOFIA = demoMemberId("sofia");
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
