import { stopTracing } from "@o2o/runtime";
import { configFromEnv } from "./config.ts";
import { startGateway } from "./server.ts";

// Runs the gateway alone, against subgraphs at <NAME>_URL (docker-compose, or separate processes).
const gateway = await startGateway(configFromEnv());
const stop = async () => {
  await gateway.stop();
  await stopTracing();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
