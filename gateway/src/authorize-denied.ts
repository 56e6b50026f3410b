import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLAbstractType,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from "graphql";
import type { DenialCode } from "./authorize-rules.ts";
import type { Decide } from "./authorize-rewrite.ts";
import { asComposite, fieldsOf, isAbstract, isList, isNonNull, namedTypeOf } from "./authorize-types.ts";

/**
 * Where in the response each denied field would have been: authorize-restore.ts puts null there, and the
 * caller gets one error per place. The original operation is walked the way execution collects
 * fields (fragments merged, fields grouped by response key, `@skip`/`@include` honoured with the
 * request's variables), but only along the selection sets the rewrite changed, so the walk costs no
 * more than the denied part of the operation.
 */

/** One response key on the way from `data` to a denied field. */
export interface DeniedStep {
  key: string;
  /** Whether null is allowed at each level of the field's type, outermost first: `[Store!]!` is [false, false], `Int` is [true]. */
  nullable: readonly boolean[];
  /**
   * The object types this step was selected on (type conditions narrow it); objects of other types
   * are left alone. Null at the root, whose type is fixed.
   */
  on: readonly string[] | null;
}

export interface DeniedField {
  /** `Type.field`, as in the schema. */
  coordinate: string;
  code: DenialCode;
  message: string;
  /** Response keys from `data` down to the field. Lists are not indexed: a step through a list applies to every item. */
  path: readonly DeniedStep[];
  /** Where the field is selected in the operation (for the error's locations). */
  nodes: readonly FieldNode[];
}

interface Input {
  set: SelectionSetNode;
  type: GraphQLCompositeType;
  on: ReadonlySet<string>;
}
interface Entry {
  node: FieldNode;
  parent: GraphQLCompositeType;
  on: ReadonlySet<string>;
}

export function deniedFields(
  schema: GraphQLSchema,
  root: GraphQLCompositeType,
  rootSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  tainted: ReadonlySet<SelectionSetNode>,
  decide: Decide,
  variables: Record<string, unknown>,
): DeniedField[] {
  const found: DeniedField[] = [];
  const possible = new Map<string, ReadonlySet<string>>();
  const possibleOf = (type: GraphQLCompositeType): ReadonlySet<string> => {
    let names = possible.get(type.name);
    if (!names) possible.set(type.name, (names = new Set(isAbstract(type) ? schema.getPossibleTypes(type as GraphQLAbstractType).map((t) => t.name) : [type.name])));
    return names;
  };

  const walk = (inputs: readonly Input[], path: readonly DeniedStep[]): void => {
    for (const [key, entries] of collect(schema, inputs, fragments, tainted, variables, possibleOf)) {
      const denied: (Entry & { code: DenialCode; message: string; type: GraphQLOutputType })[] = [];
      const deeper: (Entry & { type: GraphQLOutputType; named: GraphQLCompositeType })[] = [];
      for (const entry of entries) {
        const name = entry.node.name.value;
        const field = name.startsWith("__") ? undefined : fieldsOf(entry.parent)[name];
        if (!field) continue;
        const denial = decide(entry.parent, name);
        const named = asComposite(namedTypeOf(field.type));
        if (denial) denied.push({ ...entry, ...denial, type: field.type });
        else if (entry.node.selectionSet && tainted.has(entry.node.selectionSet) && named) deeper.push({ ...entry, type: field.type, named });
      }
      const step = (list: readonly (Entry & { type: GraphQLOutputType })[]): DeniedStep => ({
        key,
        nullable: nullabilityOf(list[0]!.type),
        on: path.length === 0 ? null : [...new Set(list.flatMap((e) => [...e.on]))].sort(),
      });
      const first = denied[0];
      if (first) {
        found.push({ coordinate: `${first.parent.name}.${first.node.name.value}`, code: first.code, message: first.message, path: [...path, step(denied)], nodes: denied.map((d) => d.node) });
      }
      if (deeper.length > 0) {
        walk(
          deeper.map((d) => ({ set: d.node.selectionSet!, type: d.named, on: possibleOf(d.named) })),
          [...path, step(deeper)],
        );
      }
    }
  };
  walk([{ set: rootSet, type: root, on: possibleOf(root) }], []);
  return found;
}

/**
 * The fields of `inputs` by response key, each with the object types it applies to. Fragments are
 * entered only where they lead to something denied; each fragment once per set of object types.
 */
function collect(
  schema: GraphQLSchema,
  inputs: readonly Input[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  tainted: ReadonlySet<SelectionSetNode>,
  variables: Record<string, unknown>,
  possibleOf: (type: GraphQLCompositeType) => ReadonlySet<string>,
): Map<string, Entry[]> {
  const fields = new Map<string, Entry[]>();
  const spread = new Set<string>();
  const enter = (set: SelectionSetNode, type: GraphQLCompositeType, on: ReadonlySet<string>): void => {
    for (const selection of set.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entries = fields.get(key) ?? [];
        entries.push({ node: selection, parent: type, on });
        fields.set(key, entries);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
      const body = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment?.selectionSet;
      const conditionName = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition?.name.value : fragment?.typeCondition.name.value;
      const condition = conditionName === undefined ? type : asComposite(schema.getType(conditionName));
      if (!body || !tainted.has(body) || !condition) continue;
      const narrowed = new Set([...on].filter((name) => possibleOf(condition).has(name)));
      if (narrowed.size === 0) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const once = `${selection.name.value}:${[...narrowed].sort().join(",")}`;
        if (spread.has(once)) continue;
        spread.add(once);
      }
      enter(body, condition, narrowed);
    }
  };
  for (const input of inputs) enter(input.set, input.type, input.on);
  return fields;
}

/** False when `@skip`/`@include` leave the selection out; a condition that cannot be read counts as included. */
function included(node: FieldNode | InlineFragmentNode | FragmentSpreadNode, variables: Record<string, unknown>): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
  } catch {
    // A missing variable: the executor reports it.
  }
  return true;
}

function nullabilityOf(type: GraphQLOutputType): boolean[] {
  const levels: boolean[] = [];
  let current: GraphQLOutputType = type;
  for (;;) {
    levels.push(!isNonNull(current));
    if (isNonNull(current)) current = current.ofType;
    if (!isList(current)) return levels;
    current = current.ofType;
  }
}
