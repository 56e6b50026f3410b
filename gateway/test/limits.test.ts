import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { aliasLimit, depthLimit } from "../src/limits.ts";

const schema = buildSchema(`type Query { node: Node } type Node { id: ID child: Node }`);
const errorsOf = (query: string, rules = [depthLimit(3), aliasLimit(2)]) => validate(schema, parse(query), rules).map((e) => e.message);

describe("operation limits", () => {
  it("accepts operations within depth and alias limits", () => {
    expect(errorsOf("{ node { child { id } } }")).toEqual([]);
  });

  it("counts depth through fragments and inline fragments", () => {
    expect(errorsOf("{ node { ...F } } fragment F on Node { child { ... on Node { child { id } } } }")).toEqual([
      "Operation is nested 4 levels deep; the limit is 3.",
    ]);
  });

  it("does not count introspection against the depth limit", () => {
    expect(errorsOf("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }")).toEqual([]);
  });

  it("refuses alias floods", () => {
    expect(errorsOf("{ a: node { id } b: node { id } c: node { id } }")).toEqual(["Operation uses 3 aliases; the limit is 2."]);
  });
});
