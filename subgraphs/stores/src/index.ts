import { databaseTargetFromEnv, runStandalone, wiringFromEnv } from "@o2o/runtime";
import { createStoresSubgraph } from "./server.ts";

// Runs the stores subgraph alone (docker-compose, or `npm start -w @o2o/stores`).
await runStandalone(createStoresSubgraph(await databaseTargetFromEnv("stores"), wiringFromEnv()), process.env.SEED === "1");
