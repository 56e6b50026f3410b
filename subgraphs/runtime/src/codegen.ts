import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * The graphql-codegen config every subgraph uses: resolver types from its `schema.graphql`, with
 * Federation's `__resolveReference`, the runtime's scalars, and parents mapped to Prisma models
 * (paths relative to `src/generated/graphql.ts`).
 */
export function subgraphCodegen(contextType: string, mappers: Record<string, string>): CodegenConfig {
  return {
    schema: "schema.graphql",
    generates: {
      "src/generated/graphql.ts": {
        plugins: ["typescript", "typescript-resolvers"],
        config: {
          federation: true,
          useTypeImports: true,
          enumsAsTypes: true,
          contextType: `../context.ts#${contextType}`,
          scalars: { Date: "string", DateTime: "Date" },
          mappers,
        },
      },
    },
  };
}
