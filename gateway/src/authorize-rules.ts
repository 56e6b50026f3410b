import {
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type NamedTypeNode,
  type TypeNode,
} from "graphql";
import type { Caller } from "@o2o/runtime";

/**
 * The access rules of a supergraph: which fields ask for an authenticated caller or for scopes.
 * They are read from the supergraph SDL, not the API schema: the API schema the gateway serves has
 * the security directives stripped.
 *
 * Composition keeps the directives under the names the supergraph's `@link` gives them:
 *   @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
 *   @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
 * so `@authenticated` and `@requiresScopes(scopes: [[requiresScopes__Scope!]!]!)` unless a subgraph
 * imported them under another name (`import: [{ name: "@authenticated", as: "@signedIn" }]` in the
 * subgraphs becomes the same import on the supergraph's link), or the link renames the spec (`as:`).
 * Composition also gives an interface (and its fields) the requirements of its implementations, so a
 * restricted object cannot be read through an unrestricted interface.
 *
 * Semantics (Apollo Router's): `@requiresScopes(scopes: [["a", "b"], ["c"]])` is (a AND b) OR c; a
 * directive on an object, interface, scalar or enum applies to every field returning that type, and
 * (as the Router removes fragments on restricted types) to every field selected on that type. Several
 * requirements on one field all apply. `scopes: []` (no alternative) can never be met: fail closed.
 */
export interface Requirement {
  /** The caller must be a member or hold an API key. */
  authenticated: boolean;
  /** One entry per `@requiresScopes`, all of which must be met: any one inner list, all of its scopes held. */
  scopes: readonly (readonly (readonly string[])[])[];
}

export interface AccessRules {
  /** `Type.field` → what selecting it asks (its own, its parent type's and its return type's). Unrestricted fields are absent. */
  readonly fields: ReadonlyMap<string, Requirement>;
  /** The names the supergraph gives the two directives (null: the spec is not linked, nothing uses it). */
  readonly directives: { readonly authenticated: string | null; readonly requiresScopes: string | null };
}

export type DenialCode = "UNAUTHENTICATED" | "FORBIDDEN";

export interface Denial {
  code: DenialCode;
  message: string;
}

const SPECS = { authenticated: "https://specs.apollo.dev/authenticated", requiresScopes: "https://specs.apollo.dev/requiresScopes" } as const;

export function accessRules(supergraphSdl: string): AccessRules {
  const definitions = parse(supergraphSdl, { noLocation: true }).definitions;
  const directives = { authenticated: linkedName(definitions, "authenticated"), requiresScopes: linkedName(definitions, "requiresScopes") };
  const requirementOf = (nodes: readonly ConstDirectiveNode[] | undefined): Requirement => {
    const requirement = { authenticated: false, scopes: [] as string[][][] };
    for (const directive of nodes ?? []) {
      const name = directive.name.value;
      if (name === directives.authenticated) requirement.authenticated = true;
      if (name === directives.requiresScopes) requirement.scopes.push(scopesOf(directive));
    }
    return requirement;
  };

  const types = new Map<string, Requirement>();
  const fields: { parent: string; field: FieldDefinitionNode }[] = [];
  for (const definition of definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) fields.push({ parent: definition.name.value, field });
      // falls through: the type itself may carry a requirement
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION: {
        const name = definition.name.value;
        types.set(name, both(types.get(name), requirementOf(definition.directives)));
        break;
      }
      default:
    }
  }

  const rules = new Map<string, Requirement>();
  for (const { parent, field } of fields) {
    const requirement = both(both(requirementOf(field.directives), types.get(parent)), types.get(namedTypeOf(field.type).name.value));
    if (restricts(requirement)) rules.set(`${parent}.${field.name.value}`, requirement);
  }
  return { fields: rules, directives };
}

/** Null when the caller meets the requirement; otherwise why not. `coordinate` names the field in the message. */
export function check(requirement: Requirement, caller: Caller, coordinate: string): Denial | null {
  // Sibling services (`caller.service`) are not clients of the gateway: they never count as authenticated here.
  // Loosely: a caller record missing the fields (undefined) is anonymous, never authenticated.
  const authenticated = Boolean(caller.memberId) || Boolean(caller.keyId);
  if (!authenticated && restricts(requirement)) {
    return { code: "UNAUTHENTICATED", message: `${coordinate} needs a signed-in member or an API key${requirement.scopes.length ? " with the right scopes" : ""}.` };
  }
  const held = new Set(caller.scopes);
  const unmet = requirement.scopes.find((alternatives) => !alternatives.some((all) => all.every((scope) => held.has(scope))));
  if (!unmet) return null;
  return { code: "FORBIDDEN", message: `${coordinate} needs ${neededScopes(unmet)}.` };
}

const restricts = (requirement: Requirement) => requirement.authenticated || requirement.scopes.length > 0;

const both = (a: Requirement | undefined, b: Requirement | undefined): Requirement =>
  !a ? (b ?? { authenticated: false, scopes: [] }) : !b ? a : { authenticated: a.authenticated || b.authenticated, scopes: [...a.scopes, ...b.scopes] };

function neededScopes(alternatives: readonly (readonly string[])[]): string {
  if (alternatives.length === 0) return "scopes no key can hold (an empty @requiresScopes)";
  const one = (all: readonly string[]) => (all.length === 1 ? `the ${all[0]} scope` : `the scopes ${all.join(" and ")}`);
  return alternatives.map(one).join(", or ");
}

const namedTypeOf = (type: TypeNode): NamedTypeNode => (type.kind === Kind.NAMED_TYPE ? type : namedTypeOf(type.type));

/**
 * The local name of a spec's directive (`authenticated`, `requiresScopes`) in this supergraph, from the
 * schema's `@link` to it: its import (possibly renamed), else the link's `as:`, else the spec's own name.
 * Links are recognised by their `url` argument, so a renamed `@link` itself is found too.
 */
function linkedName(definitions: readonly DefinitionNode[], spec: keyof typeof SPECS): string | null {
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      const url = typeof args.url === "string" ? args.url : "";
      if (!url.startsWith(`${SPECS[spec]}/v`)) continue;
      for (const item of Array.isArray(args.import) ? (args.import as unknown[]) : []) {
        if (item === `@${spec}`) return spec;
        if (isImport(item) && item.name === `@${spec}`) return (item.as ?? item.name).replace(/^@/, "");
      }
      return typeof args.as === "string" ? args.as : spec;
    }
  }
  return null;
}

/**
 * The supergraph as @apollo/gateway will load it. The gateway refuses any supergraph linking a feature
 * `for: SECURITY` it does not enforce itself (UNSUPPORTED_LINKED_FEATURE), and it enforces neither of
 * these two, so their links lose the `for:` argument; everything else, the directives included, stays.
 * Only for a gateway this module enforces them on (withAuthorization): any other security feature
 * (`@policy`, …) keeps its `for: SECURITY` and is still refused.
 */
export function enforcedHere(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  let changed = false;
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) return definition;
    const directives = definition.directives?.map((directive) => {
      const url = directive.arguments?.find((a) => a.name.value === "url")?.value;
      const ours = url?.kind === Kind.STRING && Object.values(SPECS).some((spec) => url.value.startsWith(`${spec}/v`));
      if (!ours || !directive.arguments?.some((a) => a.name.value === "for")) return directive;
      changed = true;
      return { ...directive, arguments: directive.arguments.filter((a) => a.name.value !== "for") };
    });
    return { ...definition, directives };
  });
  return changed ? print({ ...document, definitions }) : supergraphSdl;
}

const isImport = (item: unknown): item is { name: string; as?: string } =>
  typeof item === "object" && item !== null && typeof (item as { name?: unknown }).name === "string";

/**
 * `scopes: [["a", "b"], ["c"]]` as lists of strings. A single value stands for a list of one, as GraphQL
 * input coercion has it (`scopes: "a"` is `[["a"]]`); anything else is a broken supergraph.
 */
function scopesOf(directive: ConstDirectiveNode): string[][] {
  const argument = directive.arguments?.find((a) => a.name.value === "scopes");
  const value: unknown = argument ? valueFromASTUntyped(argument.value) : undefined;
  const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
  const scopes = listOf(value).map((all) => listOf(all));
  if (value === undefined || value === null || !scopes.every((all) => all.every((scope) => typeof scope === "string"))) {
    throw new Error(`@${directive.name.value} needs scopes: [[String!]!]!, not ${JSON.stringify(value)}.`);
  }
  return scopes as string[][];
}
