import { databaseTargetFromEnv, runStandalone, wiringFromEnv } from "@o2o/runtime";
import { createLogisticsSubgraph } from "./server.ts";

// Runs the logistics subgraph alone (docker-compose, or `npm start -w @o2o/logistics`).
await runStandalone(createLogisticsSubgraph(await databaseTargetFromEnv("logistics"), wiringFromEnv()), process.env.SEED === "1");
