import { describe, expect, it } from "vitest";
import { groupBy } from "../../src/domain/index.ts";

describe("groupBy", () => {
  it("groups by key in first-seen order, keeping each group's order", () => {
    const rows = [
      { unit: "b", n: 1 },
      { unit: "a", n: 2 },
      { unit: "b", n: 3 },
    ];
    const groups = groupBy(rows, (r) => r.unit);
    expect([...groups.keys()]).toEqual(["b", "a"]);
    expect(groups.get("b")?.map((r) => r.n)).toEqual([1, 3]);
    expect(groups.get("a")?.map((r) => r.n)).toEqual([2]);
  });

  it("gives an empty map for no items", () => {
    expect(groupBy([], (x: number) => x).size).toBe(0);
  });
});
