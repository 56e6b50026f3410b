import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { documentMemo } from "./document-memo.ts";

/**
 * The cost of an operation in points, computed from the schema before anything runs (like Shopify's
 * calculated query cost), so the gateway can take it from the caller's bucket up front; `actualCost`
 * re-counts with the lists the response really held, so the difference can be refunded.
 *
 * Rules (every field of the operation, after fragments are merged the way execution merges them):
 * - a field returning an object, interface or union costs OBJECT_COST (1) plus its selection;
 *   a scalar or enum field costs LEAF_COST (0); introspection (`__schema`, `__type`, `__typename`)
 *   costs 0, with everything under it;
 * - a field with a `first` or `last` argument is paginated: it costs CONNECTION_COST (2) for itself
 *   plus its page size × the cost of one item. The page size is the argument's value (a literal, or
 *   a variable, or the variable's default), else the argument's schema default, else
 *   ASSUMED_PAGE_SIZE (20); with both arguments given, the larger. If the field returns a list,
 *   each element is an item. If it returns a connection object, its `edges`/`nodes` lists hold the
 *   items (not multiplied again by ASSUMED_LIST_SIZE): an edge or a node costs 1, and the edge's
 *   `node` is the same item, so it adds only its own selection. The rest of the connection's
 *   selection (`pageInfo`, `totalCount`, …) exists once per page and is counted once;
 * - any other list multiplies its elements' cost by ASSUMED_LIST_SIZE (10), per level of nesting;
 * - each root field of a mutation costs MUTATION_COST (10) plus its selection, instead of 1;
 * - fragments and inline fragments count where their type condition applies; on an interface or a
 *   union, the cost is the largest over the possible object types (each with the fields that would
 *   run for it). A field reached twice under one response key (e.g. from two fragments) runs once
 *   and counts once; aliases run separately and count separately;
 * - `@skip`/`@include` are honoured with literal or variable conditions (a condition that cannot be
 *   read counts the selection, erring high). Fragment cycles (which validation rejects anyway) are
 *   cut, and repeated fragments are costed once per place, so costing never hangs or explodes.
 *
 * `actualCost` applies the same rules to the response: lists count the elements really returned
 * (a paginated field: 2 + what its items and page hold), a null or missing object costs 0 with its
 * selection, an abstract object counts as the type its `__typename` names when that was selected.
 * A mutation's 10 is for the attempt and is kept even when the field returned null.
 *
 * An operation that cannot be resolved (no operation of that name, or several without a name) costs
 * 0: execution refuses it anyway. Variables that fail to coerce are read as given.
 */
export const OBJECT_COST = 1;
export const LEAF_COST = 0;
export const CONNECTION_COST = 2;
export const MUTATION_COST = 10;
/** Page size of a paginated field given no `first`/`last` and no schema default. */
export const ASSUMED_PAGE_SIZE = 20;
/** Assumed length of a list that takes no `first`/`last`. */
export const ASSUMED_LIST_SIZE = 10;
export const PAGE_ARGUMENTS: readonly string[] = ["first", "last"];
export const CONNECTION_ITEM_FIELDS: readonly string[] = ["edges", "nodes"];

/** A repeated operation (same document, operation name and variables) is costed once, not per request. */
const estimates = documentMemo<number>();

export function requestedCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): number {
  const key = `${operationName ?? ""}\u0000${JSON.stringify(variables)}`;
  return estimates(document, key, [schema], () => costOf(schema, document, operationName, variables, ESTIMATE));
}

export function actualCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>, data: unknown): number {
  return costOf(schema, document, operationName, variables, data);
}

/** Stands for "a value not known yet": requestedCost walks the operation with it in place of data. */
const ESTIMATE = Symbol("estimate");

/** How the fields of one selection set are counted, decided by the field that holds it. */
type Scope = { kind: "plain" } | { kind: "mutation" } | { kind: "edge" } | { kind: "connection"; pageSize: number };
const PLAIN: Scope = { kind: "plain" };

/** A selection set to collect fields from, with the fragments spread on the way to it (to cut cycles). */
interface Input {
  set: SelectionSetNode;
  via: ReadonlySet<string>;
}
interface Entry {
  node: FieldNode;
  via: ReadonlySet<string>;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  estimate: boolean;
  /** Requested costs of (type, selection sets, scope): the same fragment spread in many places is costed once. */
  memo: Map<string, number>;
  /** Fields collected per (type, selection sets): every element of a list of 50 collects its fields once. */
  collected: Map<string, Map<string, Entry[]>>;
  ids: Map<SelectionSetNode, number>;
}

function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>, data: unknown): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const walk: Walk = {
    schema,
    fragments: new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f])),
    variables: coerced.coerced ?? variables,
    estimate: data === ESTIMATE,
    memo: new Map(),
    collected: new Map(),
    ids: new Map(),
  };
  const scope: Scope = operation.operation === OperationTypeNode.MUTATION ? { kind: "mutation" } : PLAIN;
  return setCost(walk, root, [{ set: operation.selectionSet, via: new Set() }], scope, data);
}

/** The cost of the fields selected on `parent`: the largest over the object types it may be. */
function setCost(walk: Walk, parent: GraphQLCompositeType, inputs: readonly Input[], scope: Scope, value: unknown): number {
  const key = walk.estimate ? memoKey(walk, parent, inputs, scope) : null;
  const known = key === null ? undefined : walk.memo.get(key);
  if (known !== undefined) return known;
  let most = 0;
  for (const type of isObjectType(parent) ? [parent] : walk.schema.getPossibleTypes(parent)) {
    const fields = collectedFields(walk, type, inputs);
    if (!walk.estimate && !couldBe(type, fields, value)) continue;
    let total = 0;
    for (const [responseKey, entries] of fields) total += fieldCost(walk, type, responseKey, entries, scope, value);
    most = Math.max(most, total);
  }
  if (key !== null) walk.memo.set(key, most);
  return most;
}

function fieldCost(walk: Walk, parent: GraphQLObjectType, responseKey: string, entries: readonly Entry[], scope: Scope, parentValue: unknown): number {
  const node = entries[0]?.node;
  if (!node || node.name.value.startsWith("__")) return 0;
  const field = parent.getFields()[node.name.value];
  if (!field) return 0; // validation reports unknown fields
  const mutation = scope.kind === "mutation";
  const value = walk.estimate ? ESTIMATE : valueAt(parentValue, responseKey);
  if (value == null && !mutation) return 0;

  const pageSize = pageSizeOf(walk, field, node);
  const list = isListLike(field.type);
  let sizes: number[] = []; // known sizes of the field's lists, outermost first; ASSUMED_LIST_SIZE for the rest
  let childScope: Scope = PLAIN;
  let ownObjectCost = mutation ? 0 : OBJECT_COST;
  if (pageSize !== null) {
    if (list) sizes = [pageSize];
    else {
      childScope = { kind: "connection", pageSize };
      ownObjectCost = 0; // the connection's 2 stands for the connection object
    }
  } else if (scope.kind === "connection" && list && CONNECTION_ITEM_FIELDS.includes(field.name)) {
    sizes = [scope.pageSize];
    if (field.name === "edges") childScope = { kind: "edge" };
  } else if (scope.kind === "edge" && field.name === "node") {
    ownObjectCost = 0; // the edge already counted this item
  }

  const named = getNamedType(field.type);
  const inputs = entries.flatMap((e): Input[] => (e.node.selectionSet ? [{ set: e.node.selectionSet, via: e.via }] : []));
  const perObject = (object: unknown) => (isCompositeType(named) ? ownObjectCost + setCost(walk, named, inputs, childScope, object) : LEAF_COST);
  const own = mutation ? MUTATION_COST : pageSize !== null ? CONNECTION_COST : 0;
  return own + valueCost(field.type, value, sizes, perObject);
}

/** The cost of a value of `type`: lists multiply (estimated) or add up (actual) their elements. */
function valueCost(type: GraphQLOutputType, value: unknown, sizes: readonly number[], perObject: (object: unknown) => number): number {
  if (isNonNullType(type)) return valueCost(type.ofType, value, sizes, perObject);
  if (isListType(type)) {
    const [size = ASSUMED_LIST_SIZE, ...inner] = sizes;
    if (value === ESTIMATE) return size * valueCost(type.ofType, ESTIMATE, inner, perObject);
    if (!Array.isArray(value)) return 0;
    let total = 0;
    for (const element of value as unknown[]) total += valueCost(type.ofType, element, inner, perObject);
    return total;
  }
  return value == null ? 0 : perObject(value);
}

function collectedFields(walk: Walk, type: GraphQLObjectType, inputs: readonly Input[]): Map<string, Entry[]> {
  const key = `${type.name}|${selectionIds(walk, inputs)}`;
  let fields = walk.collected.get(key);
  if (!fields) walk.collected.set(key, (fields = collectFields(walk, type, inputs)));
  return fields;
}

/**
 * The fields that run for one object type, by response key, as execution collects them: fragments
 * whose type condition applies are merged in, skipped selections left out, a fragment already spread
 * on the way here is not spread again (a cycle), nor twice into the same set (it would merge anyway).
 */
function collectFields(walk: Walk, type: GraphQLObjectType, inputs: readonly Input[]): Map<string, Entry[]> {
  const fields = new Map<string, Entry[]>();
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode, via: ReadonlySet<string>): void => {
    for (const selection of set.selections) {
      if (!included(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseKey = selection.alias?.value ?? selection.name.value;
        const entries = fields.get(responseKey);
        if (entries) entries.push({ node: selection, via });
        else fields.set(responseKey, [{ node: selection, via }]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(walk, selection.typeCondition?.name.value, type)) visit(selection.selectionSet, via);
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments.get(name);
        if (!fragment || via.has(name) || spread.has(name) || !applies(walk, fragment.typeCondition.name.value, type)) continue;
        spread.add(name);
        visit(fragment.selectionSet, new Set(via).add(name));
      }
    }
  };
  for (const input of inputs) visit(input.set, input.via);
  return fields;
}

function applies(walk: Walk, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = walk.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
}

function included(walk: Walk, selection: SelectionNode): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, selection, walk.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, selection, walk.variables)?.if === false) return false;
  } catch {
    // A condition that cannot be read (a variable not given): count the selection, erring high.
  }
  return true;
}

/** The page size of a field taking `first`/`last`, or null for a field that does not paginate. */
function pageSizeOf(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): number | null {
  const params = field.args.filter((arg) => PAGE_ARGUMENTS.includes(arg.name));
  if (params.length === 0) return null;
  let values: Record<string, unknown> = {};
  try {
    values = getArgumentValues(field, node, walk.variables);
  } catch {
    // Arguments that cannot be coerced fail execution anyway; the schema defaults stand in.
  }
  const given = params.filter((arg) => node.arguments?.some((a) => a.name.value === arg.name)).map((arg) => count(values[arg.name]));
  const defaults = params.map((arg) => count(arg.defaultValue));
  const sizes = (given.some((size) => size !== null) ? given : defaults).filter((size): size is number => size !== null);
  return sizes.length > 0 ? Math.max(...sizes) : ASSUMED_PAGE_SIZE;
}

const count = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null);

function isListLike(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function valueAt(object: unknown, responseKey: string): unknown {
  return typeof object === "object" && object !== null && Object.hasOwn(object, responseKey) ? (object as Record<string, unknown>)[responseKey] : undefined;
}

/** Whether an actual object may be of `type`: yes, unless the `__typename` it was asked for names another. */
function couldBe(type: GraphQLObjectType, fields: Map<string, Entry[]>, value: unknown): boolean {
  for (const [responseKey, entries] of fields) {
    if (entries[0]?.node.name.value !== "__typename") continue;
    const typename = valueAt(value, responseKey);
    if (typeof typename === "string") return typename === type.name;
  }
  return true;
}

function memoKey(walk: Walk, parent: GraphQLCompositeType, inputs: readonly Input[], scope: Scope): string {
  return `${parent.name}|${scope.kind === "connection" ? `connection:${scope.pageSize}` : scope.kind}|${selectionIds(walk, inputs)}`;
}

function selectionIds(walk: Walk, inputs: readonly Input[]): string {
  return inputs
    .map((input) => {
      let id = walk.ids.get(input.set);
      if (id === undefined) walk.ids.set(input.set, (id = walk.ids.size + 1));
      return id;
    })
    .join(",");
}
