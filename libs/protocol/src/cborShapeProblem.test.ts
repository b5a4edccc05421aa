import { describe, expect, it } from "vitest";
import { encodeCbor } from "./cbor.js";
import { cborShapeProblem } from "./cborShapeProblem.js";

const limits = { maxItems: 64, maxDepth: 4 };
const hex = (h: string): Uint8Array => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));

describe("cborShapeProblem", () => {
  it("accepts every frame shape the protocol sends, 64-bit integers and floats included", () => {
    const frames = [
      { t: "hello", token: "bc_ses_x", since: 0, label: "laptop" },
      { t: "append", id: "a1", stream: new Uint8Array(32), kind: "update", body: new Uint8Array(1_000_000) },
      { t: "peers", peers: [{ device: "d1", kind: "browser", label: "x", since: 2 ** 40 }] },
      { t: "x", f: 1.5, n: null, b: true, u: undefined, neg: -5 },
    ];
    for (const f of frames) expect(cborShapeProblem(encodeCbor(f), limits)).toBeUndefined();
  });

  it("refuses more items or deeper nesting than allowed, before anything is built", () => {
    const many = encodeCbor({ t: "eph", list: Array.from({ length: 100 }, () => []) });
    expect(cborShapeProblem(many, limits)).toBe("more than 64 items");
    const deep = encodeCbor({ a: [[[[1]]]] });
    expect(cborShapeProblem(deep, limits)).toBe("nested deeper than 4");
    expect(cborShapeProblem(encodeCbor({ a: [[1]] }), limits)).toBeUndefined();
  });

  it("refuses a 16 MiB array of empty arrays after reading 64 heads", () => {
    const huge = new Uint8Array(16 * 1024 * 1024).fill(0x80);
    huge.set([0x9a, 0x00, 0xff, 0xff, 0xfb]); // an array announcing 16,777,211 empty arrays
    expect(cborShapeProblem(huge, limits)).toBe("more than 64 items");
  });

  it("refuses lengths the frame does not hold, tags, indefinite lengths, unused simple values and trailing bytes", () => {
    expect(cborShapeProblem(hex("9bffffffffffffffff"), limits)).toBe("more elements than the frame holds");
    expect(cborShapeProblem(hex("5a7fffffff00"), limits)).toBe("a string longer than the frame");
    expect(cborShapeProblem(hex("c24100"), limits)).toBe("tags are not used");
    expect(cborShapeProblem(hex("9f01ff"), limits)).toBe("indefinite lengths are not used");
    expect(cborShapeProblem(hex("f810"), limits)).toBe("a simple value the protocol does not use");
    expect(cborShapeProblem(hex("0101"), limits)).toBe("bytes after the item");
    expect(cborShapeProblem(hex("a16161"), limits)).toBe("ends inside an item");
    expect(cborShapeProblem(hex("1c"), limits)).toBe("a reserved length");
    expect(cborShapeProblem(new Uint8Array(0), limits)).toBe("ends inside an item");
  });
});
