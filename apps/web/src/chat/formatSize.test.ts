import { describe, expect, it } from "vitest";
import { formatSize } from "./formatSize.js";

describe("formatSize", () => {
  it("shows bytes below 1 KB, one decimal below 10 of a unit, whole numbers above", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1024)).toBe("1 KB");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(15 * 1024 + 600)).toBe("16 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3 MB");
    expect(formatSize(2.25 * 1024 ** 3)).toBe("2.3 GB");
  });

  it("never shows 1024 of a unit, and nothing for a size that is not one", () => {
    expect(formatSize(1024 * 1024 - 1)).toBe("1 MB");
    expect(formatSize(-1)).toBe("");
    expect(formatSize(Number.NaN)).toBe("");
  });
});
