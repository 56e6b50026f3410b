import type { ApolloServerPlugin } from "@apollo/server";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { GraphiQLOptions } from "graphql-yoga";

export interface SandboxOptions {
  /** The operation the first tab opens with. */
  query?: string;
  variables?: Record<string, unknown>;
  /** Request headers prefilled in the header editor, e.g. a demo member token. */
  headers?: Record<string, string>;
}

/**
 * The GraphQL IDE served at the gateway's URL. @graphql-yoga/render-graphiql ships GraphiQL as one
 * self-contained bundle (editor workers inlined as blob: URLs), so it works with no internet access;
 * Apollo's default landing page loads from a CDN and would not. Headers are editable and persisted.
 */
export function sandbox(options: SandboxOptions = {}): ApolloServerPlugin {
  const query = options.query ?? "{ products(first: 5) { edges { node { sku name price { amount currency } } } } }";
  const variables = JSON.stringify(options.variables ?? {}, null, 2);
  const headers = JSON.stringify(options.headers ?? {}, null, 2);
  // GraphiQL 5 fills the first tab's editors from initialQuery/initialVariables/initialHeaders only
  // (a default tab's variables and headers are ignored), so both are given.
  const graphiql: GraphiQLOptions & { initialQuery: string; initialVariables: string; initialHeaders: string } = {
    title: "O2O Supergraph",
    endpoint: "/graphql",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: "variables",
    defaultTabs: [{ query, variables, headers }],
    initialQuery: query,
    initialVariables: variables,
    initialHeaders: headers,
  };
  const html = renderGraphiQL(graphiql);
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html }; } };
    },
  };
}
