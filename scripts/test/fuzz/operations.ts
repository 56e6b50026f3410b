import {
  getNamedType,
  isCompositeType,
  isLeafType,
  isNonNullType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";
import { poison } from "./poison.ts";
import type { Rng } from "./random.ts";
import { CALLERS, postJson, type CallerName, type FuzzRequest } from "./request.ts";
import { brokenValue, json, literal, wrongValue, type Value, type ValueContext } from "./values.ts";

/**
 * Operations generated from the public schema (as the gateway introspects it): valid shapes with wrong values,
 * broken values, variables declared wrong, missing or extra, every mutation field by every kind of caller, and the
 * abuses a limit must catch (deep nesting, alias floods, unknown fields, syntax garbage, huge strings).
 */
export interface Gen extends ValueContext {
  schema: GraphQLSchema;
  maxDepth: number;
  maxAliases: number;
}

type ArgMode = "inline" | "inlineBroken" | "vars" | "varsBroken" | "varsWrongDeclared" | "varsMissing" | "varsExtra";
const ARG_MODES: readonly ArgMode[] = ["inline", "inline", "inlineBroken", "vars", "vars", "varsBroken", "varsWrongDeclared", "varsMissing", "varsExtra"];
const DECLARABLE = ["String", "String!", "Int", "Int!", "Float!", "Boolean", "ID!", "[ID!]!", "Date", "CheckoutInput!", "GeoPointInput", "StoreFormat"];

interface Call {
  text: string;
  decls: string[];
  variables: Record<string, unknown>;
}

/** `field(args) { selection }` for a root field, its arguments written per `mode`. */
function rootCall(g: Gen, field: GraphQLField<unknown, unknown>, mode: ArgMode, alias = "", mutation = false): Call {
  const decls: string[] = [];
  const variables: Record<string, unknown> = {};
  const args = field.args.filter((a) => isNonNullType(a.type) || g.rng.chance(0.4));
  const brokenAt = g.rng.int(0, Math.max(0, args.length - 1));
  const missingAt = args.findIndex((a) => isNonNullType(a.type));
  const parts = args.map((arg, i) => {
    let value: Value = (mode === "inlineBroken" || mode === "varsBroken") && i === brokenAt ? brokenValue(arg.type, g, arg.name) : wrongValue(arg.type, g, arg.name);
    if (mutation) value = poison(field.name, arg.name, value, g.rng);
    if (mode === "inline" || mode === "inlineBroken") return `${arg.name}: ${literal(value)}`;
    const name = `v${alias}${i}`;
    const declared = String(arg.type);
    const wrongDecl = mode === "varsWrongDeclared" && i === brokenAt ? g.rng.pick(DECLARABLE.filter((d) => d.replace(/[[\]!]/g, "") !== getNamedType(arg.type).name)) : declared;
    decls.push(`$${name}: ${wrongDecl}`);
    if (!(mode === "varsMissing" && i === missingAt)) variables[name] = json(value);
    return `${arg.name}: $${name}`;
  });
  if (mode === "varsExtra") variables[`extra${g.rng.int(0, 9)}`] = g.rng.pick([1, "x", null, { a: [1] }]);
  const named = getNamedType(field.type);
  const selection = isCompositeType(named) ? selectionSet(g, named, 1, g.rng.int(2, 4), mutation) : "";
  return { text: `${alias ? `${alias}: ` : ""}${field.name}${parts.length ? `(${parts.join(", ")})` : ""} ${selection}`, decls, variables };
}

/** Arguments of a nested field: required ones always (wrong values, inline), optional ones sometimes. */
function nestedArgs(g: Gen, args: readonly GraphQLArgument[]): string {
  const chosen = args.filter((a) => isNonNullType(a.type) || g.rng.chance(0.25));
  return chosen.length ? `(${chosen.map((a) => `${a.name}: ${literal(wrongValue(a.type, g, a.name))}`).join(", ")})` : "";
}

/** A random selection of 1–3 fields per level, `depth` levels down to `maxDepth`; a payload's userErrors always. */
export function selectionSet(g: Gen, type: GraphQLNamedType, depth: number, maxDepth: number, payload = false): string {
  if (isUnionType(type)) return `{ __typename ${type.getTypes().slice(0, 2).map((m) => `... on ${m.name} ${selectionSet(g, m, depth, maxDepth)}`).join(" ")} }`;
  if (!isCompositeType(type)) return "";
  const fields = Object.values(type.getFields());
  const parts: string[] = [];
  if (payload && type.getFields().userErrors) parts.push("userErrors { code field }");
  for (let n = g.rng.int(1, 3); n > 0; n--) {
    const f = g.rng.pick(fields);
    const named = getNamedType(f.type);
    if (isLeafType(named)) parts.push(`${f.name}${nestedArgs(g, f.args)}`);
    else if (depth + 1 < maxDepth) parts.push(`${f.name}${nestedArgs(g, f.args)} ${selectionSet(g, named, depth + 1, maxDepth)}`);
  }
  if (!parts.length) parts.push("__typename");
  return `{ ${parts.join(" ")} }`;
}

function document(kind: "query" | "mutation", calls: Call[]): { query: string; variables: Record<string, unknown> } {
  const decls = calls.flatMap((c) => c.decls);
  const header = decls.length ? `${kind} Fuzz(${decls.join(", ")})` : kind;
  return { query: `${header} { ${calls.map((c) => c.text).join(" ")} }`, variables: Object.assign({}, ...calls.map((c) => c.variables)) };
}

function rootFields(g: Gen, kind: "query" | "mutation"): GraphQLField<unknown, unknown>[] {
  const root = kind === "query" ? g.schema.getQueryType() : g.schema.getMutationType();
  return Object.values(root!.getFields());
}

/** A query of 1–2 root fields with wrong argument values (inline or as variables). */
export function schemaQuery(g: Gen, caller: CallerName): FuzzRequest {
  const mode = g.rng.pick(ARG_MODES);
  const calls = Array.from({ length: g.rng.int(1, 2) }, (_, i) => rootCall(g, g.rng.pick(rootFields(g, "query")), mode, `q${i}`));
  return postJson(`query.${mode}`, caller, document("query", calls));
}

/**
 * Mutation number `index` (round-robin over every mutation field, then over callers), with wrong values: each must be
 * refused — by validation, by authorization, or with userErrors — and write nothing.
 */
export function schemaMutation(g: Gen, index: number): FuzzRequest {
  const fields = rootFields(g, "mutation");
  const caller = CALLERS[Math.floor(index / fields.length) % CALLERS.length]!;
  const mode = g.rng.pick(ARG_MODES);
  const picked = [fields[index % fields.length]!, ...(g.rng.chance(0.2) ? [g.rng.pick(fields)] : [])];
  const calls = picked.map((f, i) => rootCall(g, f, mode, `m${i}`, true));
  return { ...postJson(`mutation.${mode}`, caller, document("mutation", calls), calls.map((_, i) => `m${i}`)), covers: `${picked[0]!.name}@${caller}` };
}

/** A chain of object fields deeper than the limit (or, now and then, thousands of levels of an unknown field). */
export function deepQuery(g: Gen, caller: CallerName): FuzzRequest {
  if (g.rng.chance(0.15)) {
    const levels = g.rng.pick([100, 1_000, 5_000]);
    return postJson("deep.absurd", caller, { query: `{ ${"a { ".repeat(levels)}b${" }".repeat(levels)} }` });
  }
  const target = g.maxDepth + g.rng.int(1, 10);
  return postJson("deep.schema", caller, { query: deepChain(g, g.schema.getQueryType()!, target, new Map()) });
}

const objectFields = (type: GraphQLNamedType) =>
  isCompositeType(type) && !isUnionType(type) ? Object.values(type.getFields()).filter((f) => isCompositeType(getNamedType(f.type)) && !isUnionType(getNamedType(f.type))) : [];

/** Whether a chain of `levels` object fields starts at `type` (memoized per type and length). */
function reaches(type: GraphQLNamedType, levels: number, memo: Map<string, boolean>): boolean {
  if (levels === 0) return true;
  const key = `${type.name}/${levels}`;
  if (!memo.has(key)) {
    memo.set(key, false); // a cycle back to here is not a proof
    memo.set(key, objectFields(type).some((f) => reaches(getNamedType(f.type), levels - 1, memo)));
  }
  return memo.get(key)!;
}

/** A random path of exactly `levels` nested object fields from `type` (the schema has cycles: Store → Product → Store…). */
function deepChain(g: Gen, type: GraphQLNamedType, levels: number, memo: Map<string, boolean>): string {
  if (levels === 0) return "{ __typename }";
  const next = objectFields(type).filter((f) => reaches(getNamedType(f.type), levels - 1, memo));
  if (!next.length) throw new Error(`no path ${levels} levels deep from ${type.name}`);
  const f = g.rng.pick(next);
  return `{ __typename ${f.name}${nestedArgs(g, f.args)} ${deepChain(g, getNamedType(f.type), levels - 1, memo)} }`;
}

/** More aliases than allowed: of `__typename`, or of a real (and costly) field. */
export function aliasFlood(g: Gen, caller: CallerName): FuzzRequest {
  const n = g.maxAliases + g.rng.pick([1, 10, 500, 5_000]);
  const field = g.rng.pick(["__typename", "products(first: 1) { edges { cursor } }", "categories { name }", "me { id }"]);
  return postJson("alias.flood", caller, { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }` });
}

/** A schema query with something that does not exist: a field, an argument, a type condition, a directive. */
export function unknownThings(g: Gen, caller: CallerName): FuzzRequest {
  const base = document("query", [rootCall(g, g.rng.pick(rootFields(g, "query")), "inline")]).query;
  const where = base.lastIndexOf("{") + 1;
  const junk = g.rng.pick([
    ` colour${g.rng.int(0, 99)} `,
    ` ... on NoSuchType { id } `,
    ` __typename @nope `,
    ` __typename @skip(if: "yes") `,
    ` __typename @include `,
    ` password secret `,
    ` __type(name: 42) { name } `,
  ]);
  const unknownArg = g.rng.chance(0.3) ? `{ products(colour: RED) { edges { cursor } } }` : `${base.slice(0, where)}${junk}${base.slice(where)}`;
  return postJson("unknown", caller, { query: unknownArg });
}

const GARBAGE_PIECES = ["{", "}", "(", ")", "[", "]", ":", "$", "!", "...", "@", "=", "query", "mutation", "subscription", "fragment", "on", "products", "me", "\"", '"""', "#", "\\", "\u0000", "𝒢", "1e", "-", "|", "&", ",", "\n"];

/** Text that is not GraphQL: token soup, truncated documents, unterminated strings, binary, nothing. */
export function syntaxGarbage(g: Gen, caller: CallerName): FuzzRequest {
  const roll = g.rng.next();
  let query: string;
  if (roll < 0.4) query = Array.from({ length: g.rng.int(1, 40) }, () => g.rng.pick(GARBAGE_PIECES)).join(g.rng.pick(["", " "]));
  else if (roll < 0.6) {
    const whole = document("query", [rootCall(g, g.rng.pick(rootFields(g, "query")), "inline")]).query;
    query = whole.slice(0, g.rng.int(0, whole.length - 1));
  } else if (roll < 0.75) query = g.rng.text(g.rng.int(0, 200), "\u0001\u0002\u0007\u001b\ufeff\ud800abc{}\"'");
  else query = g.rng.pick(["", " ", "{}", "query", "# only a comment", '{ a(s: """unterminated }', "{ a(s: \"unterminated) }", "query A { a } query A { a }", "subscription { products { edges { cursor } } }", "fragment F on Query { me { id } }", "{ ...F } fragment F on Query { ...F }"]);
  return postJson("syntax", caller, { query });
}

/** 100–500 kB in one string (inside the body limit): a search, a barcode, a note, a variable, a comment. */
export function hugeString(g: Gen, caller: CallerName): FuzzRequest {
  const big = g.rng.text(g.rng.int(100_000, 500_000), "abcdefghijklmnopqrstuvwxyz0123456789 ");
  const pick = g.rng.int(0, 4);
  if (pick === 0) return postJson("huge.search", caller, { query: "query($s: String) { products(first: 2, filter: { search: $s }) { edges { cursor } } }", variables: { s: big } });
  if (pick === 1) return postJson("huge.barcode", caller, { query: `{ productByBarcode(barcode: ${JSON.stringify(big)}) { id } }` });
  if (pick === 2) return postJson("huge.note", caller, { query: "mutation($id: ID!, $n: String) { dispatchDelivery(fulfillmentId: $id, note: $n) { userErrors { code } } }", variables: { id: g.rng.uuid(), n: big } }, ["dispatchDelivery"]);
  if (pick === 3) return postJson("huge.comment", caller, { query: `# ${big}\n{ __typename }` });
  return postJson("huge.name", caller, { query: `{ ${big.replace(/[^a-z]/g, "x")} }` });
}
