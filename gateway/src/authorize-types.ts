import { createRequire } from "node:module";
import type {
  GraphQLCompositeType,
  GraphQLError as GraphQLErrorClass,
  GraphQLFieldMap,
  GraphQLInterfaceType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
} from "graphql";

/**
 * graphql-js comes in two builds, and a process may hold both: Node (Apollo Server, @apollo/gateway,
 * tsx) loads the CommonJS one, vite (vitest) gives our sources the ESM one. graphql's own predicates
 * (`isObjectType`, …) are `instanceof` checks that throw across the two, and Apollo Server drops the
 * `path` of an error that is not an instance of *its* GraphQLError. So the schema's types are told
 * apart by their tag (`[object GraphQLObjectType]`), and errors are made with the build Node loads.
 * In production there is one build and this changes nothing.
 */
const nodeGraphql = createRequire(import.meta.url)("graphql") as typeof import("graphql");
export const GraphQLError: typeof GraphQLErrorClass = nodeGraphql.GraphQLError;
export type GraphQLError = GraphQLErrorClass;

const tagOf = (type: unknown): string => Object.prototype.toString.call(type).slice(8, -1);

type Wrapper = { ofType: GraphQLOutputType };
export const isNonNull = (type: GraphQLOutputType): type is GraphQLOutputType & Wrapper => tagOf(type) === "GraphQLNonNull";
export const isList = (type: GraphQLOutputType): type is GraphQLOutputType & Wrapper => tagOf(type) === "GraphQLList";

export function namedTypeOf(type: GraphQLOutputType): GraphQLNamedType {
  let current = type;
  while (isNonNull(current) || isList(current)) current = current.ofType;
  return current as GraphQLNamedType;
}

const COMPOSITE = new Set(["GraphQLObjectType", "GraphQLInterfaceType", "GraphQLUnionType"]);
export const asComposite = (type: GraphQLNamedType | null | undefined): GraphQLCompositeType | null =>
  type && COMPOSITE.has(tagOf(type)) ? (type as GraphQLCompositeType) : null;

export const isUnion = (type: GraphQLCompositeType): boolean => tagOf(type) === "GraphQLUnionType";
export const isAbstract = (type: GraphQLCompositeType): boolean => tagOf(type) !== "GraphQLObjectType";

/** The fields of an object or interface type; a union has none (only `__typename`). */
export const fieldsOf = (type: GraphQLCompositeType): GraphQLFieldMap<unknown, unknown> =>
  isUnion(type) ? {} : (type as GraphQLObjectType | GraphQLInterfaceType).getFields();
