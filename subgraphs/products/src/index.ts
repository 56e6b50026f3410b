import { cacheFromEnv, databaseTargetFromEnv, runStandalone } from "@o2o/runtime";
import { createProductsSubgraph } from "./server.ts";

// Runs the products subgraph alone (docker-compose, or `npm start -w @o2o/products`).
await runStandalone(createProductsSubgraph(await databaseTargetFromEnv("products"), cacheFromEnv()), process.env.SEED === "1");
