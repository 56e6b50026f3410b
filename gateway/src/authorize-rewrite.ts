import {
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import type { Denial } from "./authorize-rules.ts";
import { asComposite, fieldsOf, namedTypeOf } from "./authorize-types.ts";

/**
 * Removes the fields a caller may not see from an operation, before it is planned, so they are never
 * sent to a subgraph (a denied mutation never runs). Whether a field is denied depends only on its
 * parent type and name, never on where it is selected, so each fragment is rewritten once.
 *
 * Every selection set that changed (a field removed in it or below it) gets an aliased `__typename`
 * (TYPENAME_KEY): it keeps the set from becoming empty (Apollo Router adds `__typename` for the same
 * reason), and it tells authorize-restore.ts which object type each object in the response is, so a denied
 * field selected under a type condition (`... on Store`) is put back as null only on such objects.
 * The alias is removed from the response afterwards. Fragments no longer spread and variables no
 * longer used are dropped, so the rewritten document is still a valid one.
 */

/** The response key of the `__typename` the rewrite adds; reserved (a client using it loses that field). */
export const TYPENAME_KEY = "authorization__typename";

const PLACEHOLDER: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_KEY },
  name: { kind: Kind.NAME, value: "__typename" },
};

/** Whether `parent.field` is denied to the caller (memoised by the caller of the rewrite). */
export type Decide = (parent: GraphQLCompositeType, field: string) => Denial | null;

export interface Rewritten {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Selection sets of the original document that changed; only these can lead to a denied field. */
  tainted: ReadonlySet<SelectionSetNode>;
  /** Nothing but the added `__typename`s is left to run: the operation must not be executed. */
  empty: boolean;
}

interface SetResult {
  set: SelectionSetNode;
  changed: boolean;
  /** It still selects something of the caller's (a field, not only added `__typename`s). */
  real: boolean;
}

/** The operation without its denied fields, or null when nothing in it is denied. */
export function rewriteOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: GraphQLCompositeType,
  decide: Decide,
): Rewritten | null {
  const originals = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const rewriter = new Rewriter(schema, originals, decide);
  const top = rewriter.set(operation.selectionSet, root);
  if (!top.changed) return null;

  const used = usedFragments(top.set, rewriter.fragments);
  const fragments = [...used].flatMap((name) => rewriter.fragments.get(name)?.definition ?? originals.get(name) ?? []);
  const variables = usedVariables([top.set, ...fragments.map((f) => f.selectionSet), ...(operation.directives ?? [])]);
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: operation.variableDefinitions?.filter((v) => variables.has(v.variable.name.value)),
    selectionSet: top.set,
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [rewritten, ...fragments] }, operation: rewritten, tainted: rewriter.tainted, empty: !top.real };
}

class Rewriter {
  readonly tainted = new Set<SelectionSetNode>();
  readonly fragments = new Map<string, { definition: FragmentDefinitionNode; changed: boolean; real: boolean }>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly originals: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly decide: Decide,
  ) {}

  set(set: SelectionSetNode, type: GraphQLCompositeType): SetResult {
    let changed = false;
    let real = false;
    const selections: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection and unknown fields are kept as they are (the executor refuses unknown ones).
        const field = selection.name.value.startsWith("__") ? undefined : fieldsOf(type)[selection.name.value];
        if (field && this.decide(type, field.name)) {
          changed = true;
          continue;
        }
        real = true;
        const named = field && asComposite(namedTypeOf(field.type));
        const below = selection.selectionSet && named ? this.set(selection.selectionSet, named) : null;
        changed ||= below?.changed ?? false;
        selections.push(below?.changed ? { ...selection, selectionSet: below.set } : selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? asComposite(this.schema.getType(selection.typeCondition.name.value)) : type;
        const below = condition ? this.set(selection.selectionSet, condition) : null;
        changed ||= below?.changed ?? false;
        real ||= below?.real ?? true;
        selections.push(below?.changed ? { ...selection, selectionSet: below.set } : selection);
      } else {
        const fragment = this.fragment(selection.name.value);
        changed ||= fragment?.changed ?? false;
        real ||= fragment?.real ?? true;
        selections.push(selection);
      }
    }
    if (!changed) return { set, changed, real };
    this.tainted.add(set);
    return { set: { ...set, selections: [...selections, PLACEHOLDER] }, changed, real };
  }

  private fragment(name: string) {
    const known = this.fragments.get(name);
    if (known) return known;
    const original = this.originals.get(name);
    const type = original && asComposite(this.schema.getType(original.typeCondition.name.value));
    // Unknown fragments and cycles are invalid documents, refused elsewhere: left as they are.
    if (!original || !type || this.inProgress.has(name)) return undefined;
    this.inProgress.add(name);
    const below = this.set(original.selectionSet, type);
    this.inProgress.delete(name);
    const result = { definition: below.changed ? { ...original, selectionSet: below.set } : original, changed: below.changed, real: below.real };
    this.fragments.set(name, result);
    return result;
  }
}

/** The fragments spread from `set`, directly or through other fragments. */
function usedFragments(set: SelectionSetNode, rewritten: ReadonlyMap<string, { definition: FragmentDefinitionNode }>): Set<string> {
  const used = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        used.add(name);
        const fragment = rewritten.get(name)?.definition;
        if (fragment) walk(fragment.selectionSet);
      },
    });
  walk(set);
  return used;
}

function usedVariables(nodes: readonly ASTNode[]): Set<string> {
  const used = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (variable) => void used.add(variable.name.value) });
  return used;
}
