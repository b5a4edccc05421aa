import { describe, expect, it } from "vitest";
import { decodeSegment, segmentDirNames } from "./chunkSegmentNames.js";

const decodeNames = (names: string[]): string => decodeSegment(names.map((n) => n.slice(1)).join(""));

describe("segmentDirNames", () => {
  const samples = ["", "a", "A", "aB", "..", ".", "/", "a/b", "con", "NUL", "~", "^", "%2F", "a\u0000b", "é", "😀", "\ud800", "x".repeat(450), "Q".repeat(300)];

  it("round-trips every segment, including lone surrogates and segments longer than one name", () => {
    for (const s of samples) expect(decodeNames(segmentDirNames(s)), JSON.stringify(s)).toBe(s);
  });

  it("gives names of safe lower-case characters only, short enough for any filesystem, and distinct under case folding", () => {
    const seen = new Set<string>();
    for (const s of samples) {
      const names = segmentDirNames(s);
      for (const name of names) {
        expect(name).toMatch(/^[sc][a-z0-9_^~-]*$/);
        expect(name.length).toBeLessThanOrEqual(201);
      }
      const folded = names.join("/").toLowerCase();
      expect(seen.has(folded), JSON.stringify(s)).toBe(false);
      seen.add(folded);
    }
  });

  it("a long segment starts with an s name and continues in c names", () => {
    expect(segmentDirNames("x".repeat(450))).toEqual([`s${"x".repeat(200)}`, `c${"x".repeat(200)}`, `c${"x".repeat(50)}`]);
  });
});
