import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, visit, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from "graphql";
import { codedError, ErrorCode, hasScope } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";

/**
 * Stage 2: limits checked before any plan is made or any subgraph is called. Depth and aliases run as
 * GraphQL validation rules, so refusals are ordinary GRAPHQL_VALIDATION_FAILED errors; cost and the
 * rate limit are in fair-use.ts, safelisting in persisted.ts.
 */
export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const fragments = new Map(context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
      const depth = depthOf(node.selectionSet, fragments, new Set(), new Map());
      if (depth > maxDepth) context.reportError(new GraphQLError(`Operation is nested ${depth} levels deep; the limit is ${maxDepth}.`, { nodes: [node] }));
    },
  });
}

// A fragment's depth is remembered once known, so a chain of fragments spreading the next one twice costs
// linear, not exponential, time (a "fragment bomb" must not stall validation).
function depthOf(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, visiting: Set<string>, known: Map<string, number>): number {
  let max = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue; // introspection is bounded by the schema
      max = Math.max(max, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting, known) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(selection.selectionSet, fragments, visiting, known));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // cycles are reported by graphql-js
      if (!known.has(name)) {
        visiting.add(name);
        known.set(name, depthOf(fragment.selectionSet, fragments, visiting, known));
        visiting.delete(name);
      }
      max = Math.max(max, known.get(name)!);
    }
  }
  return max;
}

export function aliasLimit(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) context.reportError(new GraphQLError(`Operation uses ${aliases} aliases; the limit is ${maxAliases}.`));
        },
      },
    };
  };
}

/**
 * An operation whose root type the schema lacks (a subscription: this API has none) is refused here; graphql-js does not
 * check it, and the gateway's planner would throw it as an unexpected error.
 */
export function knownRootTypes(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: [node] }));
    },
  };
}

/**
 * PostgreSQL text cannot hold U+0000: a string with one would fail in a subgraph's database as an unexpected error.
 * Refused here instead (BAD_USER_INPUT, 400), in literals and variables alike, before any plan or bucket is touched
 * (a synchronous throw, as in persisted.ts, so the later plugins' hooks do not run).
 */
export const nulRefusal: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      didResolveOperation({ source, document, request }) {
        if (hasNul(request.variables) || (source.includes("\\u") && literalHasNul(document))) {
          throw codedError(ErrorCode.BAD_USER_INPUT, "Strings may not contain the NUL character (U+0000).", { http: { status: 400 } });
        }
        return Promise.resolve();
      },
    };
  },
};

function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === "object") return Object.entries(value).some(([key, v]) => key.includes("\u0000") || hasNul(v));
  return false;
}

function literalHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes("\u0000")) found = true;
    },
  });
  return found;
}

/**
 * Introspection (`__schema`, `__type`): "open" for everyone (the embedded default, so the sandbox can
 * show the docs), or "scoped": only callers holding `schema:read`. Checked before any plan is made.
 */
export type IntrospectionMode = "open" | "scoped";

export function introspectionGate(mode: IntrospectionMode): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (mode === "open" || hasScope(contextValue.caller, "schema:read") || !introspects(document)) return;
          throw codedError(ErrorCode.FORBIDDEN, "Introspection needs an API key with the schema:read scope here; the schema is published in schema/api.graphql.", { http: { status: 403 } });
        },
      };
    },
  };
}

function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") found = true;
    },
  });
  return found;
}
