import { ANONYMOUS, CALLER_HEADER, signCaller } from "./caller.ts";
import { postGraphQL } from "./client.ts";
import { codedError, ErrorCode } from "./errors.ts";
import { subgraphUrl, type SubgraphName } from "./services.ts";

/** A GraphQL error a sibling answered with, kept with its code so the caller can map it. */
export class PeerError extends Error {
  constructor(
    readonly peer: SubgraphName,
    readonly code: string,
    message: string,
  ) {
    super(`${peer}: ${message}`);
  }
}

/**
 * How a subgraph reaches its siblings for synchronous work (checkout reserving stock, holding a
 * slot, redeeming points). Calls go straight to the sibling over HTTP, signed as a service caller,
 * to fields the supergraph marks `@inaccessible`: clients of the gateway can never reach them.
 * URLs come from `<NAME>_URL` unless the composition root registered where it started them.
 */
export class Peers {
  /** Shared by every `as(…)` view, so URLs registered after the views were made (ports known at start) count. */
  constructor(
    private readonly self: SubgraphName | "gateway" = "gateway",
    private readonly urls = new Map<SubgraphName, string>(),
  ) {}

  /** The same directory, calling as another service (each subgraph signs as itself). */
  as(self: SubgraphName): Peers {
    return new Peers(self, this.urls);
  }

  register(name: SubgraphName, url: string): void {
    this.urls.set(name, url);
  }

  url(name: SubgraphName): string {
    return this.urls.get(name) ?? subgraphUrl(name);
  }

  /** Runs one operation on a sibling; a sibling that cannot answer becomes SERVICE_UNAVAILABLE. */
  async call<D>(name: SubgraphName, query: string, variables: Record<string, unknown> = {}): Promise<D> {
    const headers = { [CALLER_HEADER]: signCaller({ ...ANONYMOUS, service: this.self }) };
    let response;
    try {
      response = await postGraphQL<D>(this.url(name), query, variables, headers);
    } catch {
      throw codedError(ErrorCode.SERVICE_UNAVAILABLE, `The ${name} service cannot be reached; try again shortly.`, { serviceName: name });
    }
    const first = response.errors?.[0];
    if (first || !response.data) {
      const code = String(first?.extensions?.code ?? "INTERNAL_SERVER_ERROR");
      throw new PeerError(name, code, first?.message ?? `empty answer (HTTP ${response.status})`);
    }
    return response.data;
  }
}
