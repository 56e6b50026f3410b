import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLER_HEADER, verifyCaller, type Caller } from "../src/caller.ts";
import { PeerError, Peers } from "../src/peers.ts";

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// A stand-in sibling: answers `{ who }` with the verified caller, and an error for anything else.
let sibling: Server;
let siblingUrl: string;
const seen: (Caller | null)[] = [];
beforeAll(async () => {
  sibling = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      const caller = verifyCaller(req.headers[CALLER_HEADER] as string | undefined);
      seen.push(caller);
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const answer = query.includes("who")
        ? { data: { who: caller?.service ?? null, echo: variables.x ?? null } }
        : { errors: [{ message: "Not enough stock.", extensions: { code: "OUT_OF_STOCK" } }], data: null };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => sibling.listen(0, "127.0.0.1", resolve));
  siblingUrl = `http://127.0.0.1:${(sibling.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => sibling?.close(() => resolve())));

describe("Peers.call", () => {
  it("turns a sibling that is down into SERVICE_UNAVAILABLE naming the service", async () => {
    const peers = new Peers("logistics");
    peers.register("payments", `http://127.0.0.1:${await closedPort()}/graphql`);
    const error = await peers.call("payments", "{ __typename }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", serviceName: "payments" });
  });

  it("calls the sibling signed as the calling service and returns its data", async () => {
    const directory = new Peers();
    const asStores = directory.as("stores");
    // Registered after as(): the derived directory must still find it (ports known only after start).
    directory.register("payments", siblingUrl);
    expect(await asStores.call("payments", "query($x: String) { who echo }", { x: "hi" })).toEqual({ who: "stores", echo: "hi" });
    expect(seen.at(-1)).toMatchObject({ service: "stores", memberId: null, scopes: [] });
  });

  it("passes on a GraphQL error the sibling answered with as a PeerError with its code", async () => {
    const peers = new Peers("stores");
    peers.register("products", siblingUrl);
    const error = await peers.call("products", "mutation { reserve }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeerError);
    expect(error).toMatchObject({ peer: "products", code: "OUT_OF_STOCK", message: "products: Not enough stock." });
  });
});
