import { describe, expect, it } from "vitest";
import { isPlainData } from "./plain-data";

describe("isPlainData", () => {
  it("accepts what a form sends", () => {
    for (const v of [null, undefined, "", "$T", 0, Number.NaN, true, [], {}, { a: [1, "x", { b: null }] }, Object.create(null)])
      expect(isPlainData(v)).toBe(true);
  });
  it("refuses anything else, however deep", () => {
    const proxy = new Proxy(() => {}, {
      get() {
        throw new Error("Cannot access length on the server");
      },
    });
    const bad = [
      proxy,
      () => {},
      1n,
      Symbol("s"),
      new Date(),
      new Map(),
      new Set(),
      Promise.resolve(),
      new FormData(),
      [].values(),
      { [Symbol.asyncIterator]: () => null },
    ];
    for (const v of bad) {
      expect(isPlainData(v)).toBe(false);
      expect(isPlainData({ name: v })).toBe(false);
      expect(isPlainData([{ list: [v] }])).toBe(false);
    }
  });
  it("refuses nesting deeper than any form", () => {
    let o: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) o = { a: o };
    expect(isPlainData(o)).toBe(false);
  });
});
