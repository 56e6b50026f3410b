import { describe, expect, it } from "vitest";
import { encodeCursor, isStringKey, parsePage, toConnection } from "../src/pagination.ts";

describe("Relay pagination helpers", () => {
  it("fetches one extra row to know whether a next page exists", () => {
    const page = parsePage({ first: 2 }, isStringKey);
    expect(page.take).toBe(3);
    const conn = toConnection(["a", "b", "c"], page, (x) => x);
    expect(conn.edges.map((e) => e.node)).toEqual(["a", "b"]);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor("b") });
  });

  it("decodes its own cursors and refuses others with BAD_USER_INPUT", () => {
    expect(parsePage({ after: encodeCursor("sku-1") }, isStringKey).after).toBe("sku-1");
    for (const after of ["%%%", encodeCursor(42), Buffer.from("{not json").toString("base64url")]) {
      expect(() => parsePage({ after }, isStringKey)).toThrowError(expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", argument: "after" } }));
    }
  });

  it.each([-1, 101, 1.5])("refuses first = %s", (first) => {
    expect(() => parsePage({ first }, isStringKey)).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
  });
});
