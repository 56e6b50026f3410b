import { databaseTargetFromEnv, runStandalone, wiringFromEnv } from "@o2o/runtime";
import { createPaymentsSubgraph } from "./server.ts";

// Runs the payments subgraph alone (docker-compose, or `npm start -w @o2o/payments`).
await runStandalone(createPaymentsSubgraph(await databaseTargetFromEnv("payments"), wiringFromEnv()), process.env.SEED === "1");
