import { describe, expect, it } from "vitest";
import { firstDifference } from "../src/bench/compare.ts";
import { percentile } from "../src/bench/load.ts";
import { stagesOf, type RecordedFetch } from "../src/bench/overhead.ts";

const fetchAt = (subgraph: RecordedFetch["subgraph"], start: number, end: number): RecordedFetch => ({ subgraph, start, end, headers: {}, body: "" });

describe("benchmark parts", () => {
  it("groups fetches that overlapped in time into one stage, and later ones into the next", () => {
    const stages = stagesOf([fetchAt("stores", 11, 20), fetchAt("products", 0, 10), fetchAt("members", 2, 8), fetchAt("logistics", 21, 30)]);
    expect(stages.map((s) => s.map((f) => f.subgraph))).toEqual([["products", "members"], ["stores"], ["logistics"]]);
    expect(stagesOf([])).toEqual([]);
  });

  it("compares answers up to list order and names the first differing path", () => {
    expect(firstDifference({ a: [{ id: 1 }, { id: 2 }], b: null }, { b: null, a: [{ id: 2 }, { id: 1 }] })).toBeNull();
    expect(firstDifference({ me: null }, { me: { displayName: "Aiko" } })).toContain("data.me");
    expect(firstDifference({ list: [1, 2] }, { list: [1] })).toBe("data.list: 2 vs 1 items");
  });

  it("takes nearest-rank percentiles of sorted values", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNaN();
  });
});
