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

describe("a fragment bomb", () => {
  // Exponential work (2^30 spreads) would not finish within the test's timeout; remembered fragment depths do.
  it("is measured without expanding it: each fragment spreads the next twice, 30 levels", () => {
    const schema = buildSchema(`type Query { node: Node } type Node { next: Node name: String }`);
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Node { next { ...F${i + 1} ...F${i + 1} } }`).join("\n");
    const document = parse(`{ node { ...F0 } }\n${fragments}\nfragment F30 on Node { name }`);
    const errors = validate(schema, document, [depthLimit(15)]);
    expect(errors.map((e) => e.message)).toEqual(["Operation is nested 32 levels deep; the limit is 15."]);
  });
});
