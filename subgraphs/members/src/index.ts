import { databaseTargetFromEnv, runStandalone, wiringFromEnv } from "@o2o/runtime";
import { createMembersSubgraph } from "./server.ts";

// Runs the members subgraph alone (docker-compose, or `npm start -w @o2o/members`).
await runStandalone(createMembersSubgraph(await databaseTargetFromEnv("members"), wiringFromEnv()), process.env.SEED === "1");
