import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACCEPTED_HINTS, API_SCHEMA_PATH, compose, SUPERGRAPH_PATH } from "../src/compose.ts";

describe("composition", () => {
  const composed = compose();

  it("composes the five subgraphs without errors or unexpected hints", () => {
    expect(composed.hints.filter((h) => !ACCEPTED_HINTS.has(h.code))).toEqual([]);
  });

  it("matches the checked-in supergraph and API schema (run `npm run compose` after changing an SDL)", () => {
    expect(readFileSync(SUPERGRAPH_PATH, "utf8")).toBe(composed.supergraphSdl);
    expect(readFileSync(API_SCHEMA_PATH, "utf8")).toBe(composed.apiSdl);
  });

  it("exposes the entities of the design brief with their owners' keys", () => {
    for (const entity of ["Product", "Store", "Retailer", "Member", "Order"]) {
      expect(composed.supergraphSdl).toMatch(new RegExp(`type ${entity}\\b[^{]*@join__type`));
    }
    expect(composed.apiSdl).not.toContain("join__");
  });
});
