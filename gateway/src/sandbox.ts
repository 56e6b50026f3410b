import type { ApolloServerPlugin } from "@apollo/server";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

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
  const html = renderGraphiQL({
    title: "O2O Supergraph",
    endpoint: "/graphql",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: true,
    defaultTabs: [
      {
        query: options.query ?? "{ products(first: 5) { edges { node { sku name price { amount currency } } } } }",
        variables: JSON.stringify(options.variables ?? {}, null, 2),
        headers: JSON.stringify(options.headers ?? {}, null, 2),
      },
    ],
  });
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html }; } };
    },
  };
}
