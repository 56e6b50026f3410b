import { createHash } from "node:crypto";
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from "@apollo/server-gateway-interface";
import { getOperationAST, Kind, print, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { ANONYMOUS, codedError, ErrorCode, logger, type Caller } from "@o2o/runtime";
import { deniedFields, type DeniedField } from "./authorize-denied.ts";
import { deniedReached, restoreDenied } from "./authorize-restore.ts";
import { rewriteOperation, type Decide } from "./authorize-rewrite.ts";
import { accessRules, check, type AccessRules, type Denial } from "./authorize-rules.ts";
import { GraphQLError } from "./authorize-types.ts";
import { documentMemo } from "./document-memo.ts";
import { wrapExecutor } from "./wrap-executor.ts";

export { accessRules, restoreDenied };
export type { AccessRules, DeniedField };
export type { DeniedStep } from "./authorize-denied.ts";
export type { Requirement, DenialCode } from "./authorize-rules.ts";
export type { ResponseData } from "./authorize-restore.ts";
export { TYPENAME_KEY } from "./authorize-rewrite.ts";

/**
 * Stage 3a: authorization. Subgraph SDLs mark fields and types with Federation's `@authenticated` and
 * `@requiresScopes`; @apollo/gateway carries them into the supergraph but does not enforce them
 * (Apollo Router does), so this stage does, the way the Router does:
 *
 * 1. the fields the caller may not see are removed from the operation before it is planned
 *    (authorize-rewrite.ts), so they are never sent to a subgraph and a denied mutation never runs;
 *    an operation left with nothing to run is not executed at all;
 * 2. the rest is planned and executed as usual, under the query hash of the rewritten document
 *    (@apollo/gateway caches plans by `queryHash`: callers with different scopes must not share one);
 * 3. each denied field is put back as null (authorize-restore.ts: every list item, null propagation
 *    through non-null fields) with an error: UNAUTHENTICATED for a caller who is neither a member nor
 *    an API key, FORBIDDEN for one without the scopes. The rest of the response still returns.
 *
 * One error per denied field *selection*, not per list item: its `path` names the response keys
 * from `data` to the field without list indices (the error is known before anything runs, and a
 * list of 100 stores should not carry 100 identical errors). `["stores", "stock"]` means the
 * `stock` of every store.
 *
 * The subgraphs check the scopes again and bind callers to their own data (defence in depth).
 */

export interface AuthorizedOperation {
  /** The operation without the denied fields; the very document given when nothing is denied. */
  document: DocumentNode;
  denied: DeniedField[];
  /** One per denied field, with its path; appended to the response's errors. */
  errors: GraphQLError[];
  /** Nothing is left to run: answer `restoreDenied({}, denied)` without executing. */
  empty: boolean;
}

export function authorizeOperation(
  rules: AccessRules,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  caller: Caller,
  /** The request's variables: a denied field left out by `@skip`/`@include` gets no error. */
  variables: Record<string, unknown> = {},
): AuthorizedOperation {
  const unchanged: AuthorizedOperation = { document, denied: [], errors: [], empty: false };
  const operation = rules.fields.size > 0 ? getOperationAST(document, operationName ?? undefined) : null;
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return unchanged; // nothing restricted, or an operation the executor refuses anyway

  const decisions = new Map<string, Denial | null>();
  const decide: Decide = (parent, field) => {
    const coordinate = `${parent.name}.${field}`;
    let denial = decisions.get(coordinate);
    if (denial === undefined) {
      const requirement = rules.fields.get(coordinate);
      denial = requirement ? check(requirement, caller, coordinate) : null;
      decisions.set(coordinate, denial);
    }
    return denial;
  };
  const rewritten = rewriteOperation(schema, document, operation, root, decide);
  if (!rewritten) return unchanged;

  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const denied = deniedFields(schema, root, operation.selectionSet, fragments, rewritten.tainted, decide, variables);
  const errors = denied.map(
    (field) => new GraphQLError(field.message, { nodes: field.nodes, path: field.path.map((step) => step.key), extensions: { code: ErrorCode[field.code] } }),
  );
  return { document: rewritten.document, denied, errors, empty: rewritten.empty };
}

/**
 * The gateway handed to Apollo Server, enforcing the supergraph's access rules around
 * @apollo/gateway's executor. It follows the supergraph as it is loaded or updated and reads the rules
 * once per version. Until rules for the current supergraph could be read, nothing is executed (fail
 * closed). The caller is the request context's `caller` (GatewayGraphQLRequestContext.context, i.e.
 * Apollo Server's contextValue; absent: anonymous).
 *
 * @apollo/gateway refuses to load a supergraph that links `@authenticated`/`@requiresScopes`
 * `for: SECURITY`, since it does not enforce them: plan.ts hands it the supergraph through
 * authorize-rules.ts `enforcedHere` (those two links without `for:`), because they are enforced here.
 */
export function withAuthorization(gateway: GatewayInterface): GatewayInterface {
  let current: { sdl: string; rules: AccessRules | null } | null = null;
  const follow: GatewaySchemaLoadOrUpdateCallback = ({ coreSupergraphSdl }) => {
    if (current?.sdl === coreSupergraphSdl) return;
    try {
      current = { sdl: coreSupergraphSdl, rules: accessRules(coreSupergraphSdl) };
    } catch (err) {
      current = { sdl: coreSupergraphSdl, rules: null };
      logger.error({ err }, "supergraph access rules unreadable; refusing every operation until it is fixed");
    }
  };
  // Subscribed before Apollo Server subscribes and loads, so the rules are there for the first request.
  const unfollow = gateway.onSchemaLoadOrUpdate(follow);
  const rules = (): AccessRules => {
    if (!current?.rules) throw codedError(ErrorCode.INTERNAL_SERVER_ERROR, "The supergraph's access rules are not available.");
    return current.rules;
  };
  return wrapExecutor(gateway, (executor) => authorizedExecutor(executor, rules), unfollow);
}

function authorizedExecutor(executor: GatewayExecutor, rules: () => AccessRules): GatewayExecutor {
  return async (requestContext) => {
    const { request, document, schema } = requestContext;
    // No operation matched the request's operationName (e.g. "" in a document of several): Apollo Server expects an
    // error back here and answers it as OPERATION_RESOLUTION_FAILURE; nothing further may read the missing operation.
    if (!requestContext.operation) {
      const name = request.operationName;
      return { errors: [new GraphQLError(name ? `Unknown operation named "${name}".` : "Must provide a (non-empty) operationName when the document contains several operations.")] };
    }
    // The executor reads the operation name from the request (plan cache key, operation choice).
    const authorized = rememberedAuthorization(rules(), schema, document, request.operationName, callerOf(requestContext), request.variables ?? {});
    if (authorized.document === document) return executor(requestContext);
    if (authorized.empty) return { data: restoreDenied({}, authorized.denied), errors: authorized.errors };

    const result = await executor({
      ...requestContext,
      document: authorized.document,
      source: authorized.source,
      queryHash: authorized.queryHash,
      operation: authorized.operation ?? requestContext.operation,
    });
    const reached = deniedReached(result.data, authorized.denied);
    const errors = [...(result.errors ?? []), ...authorized.errors.filter((_, i) => reached[i])];
    return {
      ...result,
      data: result.data == null ? result.data : restoreDenied(result.data, authorized.denied),
      ...(errors.length ? { errors } : { errors: undefined }),
    };
  };
}

/**
 * The same operation from callers who hold the same scopes (and are, or are not, signed in) is rewritten the same
 * way, so the rewrite, its printed source and hash are worked out once per document and caller class (and variables,
 * when the operation has @skip/@include that could read them).
 */
type RememberedOperation = AuthorizedOperation & { source: string; queryHash: string; operation: OperationDefinitionNode | null };
const rememberedOperations = documentMemo<RememberedOperation>();
const conditional = documentMemo<boolean>(1);

function rememberedAuthorization(
  rules: AccessRules,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  caller: Caller,
  variables: Record<string, unknown>,
): RememberedOperation {
  const readsVariables = conditional(document, "", [], () => /@(skip|include)\b/.test(document.loc?.source.body ?? "@skip"));
  const authenticated = Boolean(caller.memberId) || Boolean(caller.keyId);
  const key = [operationName ?? "", authenticated, [...caller.scopes].sort().join(","), readsVariables ? JSON.stringify(variables) : ""].join("\u0000");
  return rememberedOperations(document, key, [rules, schema], () => {
    const authorized = authorizeOperation(rules, schema, document, operationName, caller, variables);
    const source = authorized.document === document ? "" : print(authorized.document);
    const queryHash = source && createHash("sha256").update(source).digest("hex");
    return { ...authorized, source, queryHash, operation: source ? (getOperationAST(authorized.document, operationName) ?? null) : null };
  });
}

function callerOf(requestContext: GatewayGraphQLRequestContext): Caller {
  const caller: unknown = (requestContext.context as { caller?: unknown } | undefined)?.caller;
  return typeof caller === "object" && caller !== null && Array.isArray((caller as Caller).scopes) ? (caller as Caller) : ANONYMOUS;
}
