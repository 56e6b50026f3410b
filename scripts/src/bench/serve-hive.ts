import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createGatewayRuntime } from "@graphql-hive/gateway";
import { CALLER_HEADER, DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphUrlEnv } from "@o2o/runtime";

/**
 * Child process of `npm run bench`: Hive Gateway (The Guild's federation gateway, programmatic runtime) serving the
 * checked-in supergraph. Env: HIVE_PORT; SUPERGRAPH_PATH; <NAME>_URL overrides a subgraph's routing URL (the
 * bench's overhead phase points them at its recording proxy). It forwards the client's signed `x-o2o-caller`
 * header to every subgraph: the benchmark client signs it itself (Hive knows nothing of our member tokens).
 * Landing page and GraphiQL off, logs at warn, as our gateway runs in the bench (LOG_LEVEL=warn).
 */
const path = process.env.SUPERGRAPH_PATH ?? new URL("../../../schema/supergraph.graphql", import.meta.url);
let supergraph = readFileSync(path, "utf8");
for (const name of SUBGRAPH_NAMES) {
  const override = process.env[subgraphUrlEnv(name)];
  if (override) supergraph = supergraph.replace(`url: "http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql"`, `url: ${JSON.stringify(override)}`);
}

const gateway = createGatewayRuntime({
  supergraph,
  landingPage: false,
  graphiql: false,
  logging: "warn",
  propagateHeaders: {
    // What our gateway sends every subgraph too: the signed caller and the request id.
    fromClientToSubgraphs: ({ request }) => ({ [CALLER_HEADER]: request.headers.get(CALLER_HEADER), "x-request-id": request.headers.get("x-request-id") }),
  },
});
const server = createServer(gateway);
server.listen(Number(process.env.HIVE_PORT ?? 4100), "127.0.0.1");

const stop = async () => {
  server.close();
  await gateway.dispose();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
