import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  GraphQLError,
  Kind,
  parse,
  print,
  Source,
  validate,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

/**
 * The frontend's persisted-operation manifest, in Apollo's format (`apollo-persisted-query-manifest`,
 * version 1), generated from `schema/operations/*.graphql`: one entry per named operation, sorted by
 * name, each validated against `schema/api.graphql`. The gateway (gateway/src/persisted.ts) answers
 * these ids without a query and lets safelist-only API keys run nothing else.
 *
 * A body is printed the way `@apollo/generate-persisted-query-manifest` prints it, so that the ids
 * are the ones Apollo Client Web sends: the operation plus every fragment it uses (transitively),
 * with `__typename` added to every selection set but the operation's own (Apollo Client's
 * InMemoryCache does that before sending, `addTypenameToDocument`), definitions sorted operation
 * first then fragments by name (`sortTopLevelDefinitions`), printed by graphql-js `print`;
 * id = SHA-256 hex of that body. Client-only directives (`@client`, `@connection`, …), which Apollo
 * Client strips, are unknown to the API schema and refused by validation, so nothing else changes.
 *
 * Run `npx tsx scripts/src/persisted-manifest.ts` after editing an operation; `--check` exits 1 when
 * the checked-in file is stale (the scripts tests check it too).
 */
const root = new URL("../../", import.meta.url);
const ROOT_PATH = fileURLToPath(root);
export const OPERATIONS_DIR = fileURLToPath(new URL("schema/operations/", root));
export const MANIFEST_PATH = fileURLToPath(new URL("schema/persisted-operations.json", root));
const API_SCHEMA_PATH = fileURLToPath(new URL("schema/api.graphql", root));

export const MANIFEST_FORMAT = "apollo-persisted-query-manifest";

export interface ManifestOperation {
  /** SHA-256 hex of `body`. */
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

export interface OperationSource {
  /** Shown in error messages, e.g. `schema/operations/checkout.graphql`. */
  name: string;
  text: string;
}

/** Thrown with every problem found, one per line, each naming the file and position. */
export class InvalidOperationsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid persisted operations (schema/operations/*.graphql vs schema/api.graphql):\n${problems.map((p) => `- ${p}`).join("\n")}`);
    this.name = "InvalidOperationsError";
  }
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function apiSchema(path = API_SCHEMA_PATH): GraphQLSchema {
  return buildSchema(readFileSync(path, "utf8"));
}

/** Every `*.graphql` file of the directory, by file name. */
export function readOperationSources(dir = OPERATIONS_DIR): OperationSource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".graphql"))
    .sort()
    .map((file) => ({ name: relative(ROOT_PATH, join(dir, file)), text: readFileSync(join(dir, file), "utf8") }));
}

/** The manifest of the sources' operations; throws InvalidOperationsError listing every problem. */
export function buildManifest(sources: readonly OperationSource[], schema: GraphQLSchema): Manifest {
  const problems: string[] = [];
  const operations = new Map<string, { node: OperationDefinitionNode; file: string }>();
  const fragments = new Map<string, { node: FragmentDefinitionNode; file: string }>();

  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(new Source(source.text, source.name));
    } catch (err) {
      problems.push(located(err, source.name));
      continue;
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        const name = definition.name?.value;
        if (!name) problems.push(`${at(definition, source.name)} an operation needs a name: the manifest and the gateway's logs know operations by name.`);
        else if (operations.has(name)) problems.push(`${at(definition, source.name)} operation ${name} is also defined in ${operations.get(name)!.file}; names must be unique.`);
        else operations.set(name, { node: definition, file: source.name });
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        if (fragments.has(name)) problems.push(`${at(definition, source.name)} fragment ${name} is also defined in ${fragments.get(name)!.file}; names must be unique.`);
        else fragments.set(name, { node: definition, file: source.name });
      } else {
        problems.push(`${at(definition, source.name)} only operations and fragments belong in schema/operations (found ${definition.kind}).`);
      }
    }
  }

  const entries: ManifestOperation[] = [];
  for (const [name, { node, file }] of operations) {
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [node, ...fragmentsUsedBy(node, fragments)] };
    const errors = validate(schema, document);
    if (errors.length > 0) {
      problems.push(...errors.map((e) => `${located(e, file)} (operation ${name})`));
      continue;
    }
    const body = canonicalBody(document);
    entries.push({ id: sha256(body), name, type: node.operation, body });
  }
  if (problems.length > 0) throw new InvalidOperationsError(problems);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: MANIFEST_FORMAT, version: 1, operations: entries };
}

/** The fragments an operation spreads, directly or through other fragments (unknown ones are left to validation). */
function fragmentsUsedBy(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, { node: FragmentDefinitionNode }>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value)?.node;
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };

/**
 * The body Apollo Client Web sends for a document of one operation and its fragments (see the file's
 * comment): `print(sortTopLevelDefinitions(addTypenameToDocument(document)))`.
 */
export function canonicalBody(document: DocumentNode): string {
  const withTypename = visit(document, {
    SelectionSet: {
      enter(node, _key, parent) {
        // Like Apollo Client: not on the operation's root, and not where __typename or an introspection field already is.
        if (parent && "kind" in parent && parent.kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith("__"))) return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    },
  });
  const definitions = [...withTypename.definitions].sort((a, b) => {
    // Reverse by kind: OperationDefinition before FragmentDefinition; then by name.
    if (a.kind !== b.kind) return a.kind > b.kind ? -1 : 1;
    const nameOf = (d: DefinitionNode) => (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION ? (d.name?.value ?? "") : "");
    const [x, y] = [nameOf(a), nameOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return print({ ...withTypename, definitions });
}

/** The manifest file's text: stable JSON, two-space indent, trailing newline. */
export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Problems with a manifest's operations as the gateway will run them: each id must be the SHA-256 of
 * its body, and each body one operation of that name and type (with its fragments) valid against the schema.
 */
export function manifestProblems(manifest: Manifest, schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const op of manifest.operations) {
    if (sha256(op.body) !== op.id) problems.push(`${op.name}: id ${op.id} is not the SHA-256 of its body`);
    let document: DocumentNode;
    try {
      document = parse(op.body);
    } catch (err) {
      problems.push(`${op.name}: ${(err as Error).message}`);
      continue;
    }
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || operations[0]!.name?.value !== op.name || operations[0]!.operation !== op.type) {
      problems.push(`${op.name}: the body must hold exactly one ${op.type} named ${op.name}`);
    }
    problems.push(...validate(schema, document).map((e) => `${op.name}: ${e.message}`));
  }
  return problems;
}

export interface ManifestCheck {
  upToDate: boolean;
  /** What the generator writes today. */
  expected: string;
  /** The checked-in file; null when there is none. */
  actual: string | null;
}

/** Whether the checked-in manifest is what the operations generate now (throws on invalid operations). */
export function checkManifest(path = MANIFEST_PATH, sources = readOperationSources(), schema = apiSchema()): ManifestCheck {
  const expected = renderManifest(buildManifest(sources, schema));
  const actual = existsSync(path) ? readFileSync(path, "utf8") : null;
  return { upToDate: actual === expected, expected, actual };
}

function at(node: DefinitionNode, file: string): string {
  const location = node.loc?.startToken;
  return location ? `${file}:${location.line}:${location.column}` : file;
}

/** `file:line:column message` for a parse or validation error. */
function located(err: unknown, file: string): string {
  if (!(err instanceof GraphQLError)) return `${file}: ${(err as Error).message}`;
  const location = err.locations?.[0];
  const where = `${err.source?.name ?? file}${location ? `:${location.line}:${location.column}` : ""}`;
  return `${where} ${err.message}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const check = checkManifest();
    const count = (JSON.parse(check.expected) as Manifest).operations.length;
    if (process.argv.includes("--check")) {
      if (!check.upToDate) {
        console.error(`schema/persisted-operations.json is ${check.actual === null ? "missing" : "stale"}: run \`npx tsx scripts/src/persisted-manifest.ts\` and commit it.`);
        process.exitCode = 1;
      } else {
        console.log(`schema/persisted-operations.json is up to date (${count} operations).`);
      }
    } else {
      writeFileSync(MANIFEST_PATH, check.expected);
      console.log(`${count} operations → schema/persisted-operations.json`);
    }
  } catch (err) {
    // Invalid operations: the message lists each one with its file and position; no stack trace.
    console.error(err instanceof InvalidOperationsError ? err.message : err);
    process.exitCode = 1;
  }
}
