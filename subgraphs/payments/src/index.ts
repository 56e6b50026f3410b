import { databaseTargetFromEnv, runStandalone } from "@o2o/runtime";
import { createPaymentsSubgraph } from "./server.ts";

// Runs the payments subgraph alone (docker-compose, or `npm start -w @o2o/payments`).
await runStandalone(createPaymentsSubgraph(await databaseTargetFromEnv("payments")), process.env.SEED === "1");
