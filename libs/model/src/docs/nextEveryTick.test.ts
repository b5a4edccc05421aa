import { describe, expect, it } from "vitest";
import { nextEveryTick } from "./nextEveryTick.js";

describe("nextEveryTick", () => {
  it("is the first whole interval from the anchor strictly after the time", () => {
    expect(nextEveryTick(0, 60_000, 90_000)).toBe(120_000);
    expect(nextEveryTick(0, 60_000, 120_000)).toBe(180_000);
    expect(nextEveryTick(250, 1_000, 10_000)).toBe(10_250);
  });

  it("keeps to the same grid for a time before the anchor", () => {
    expect(nextEveryTick(1_000_000, 60_000, 0)).toBe(1_000_000 - 16 * 60_000);
    expect(nextEveryTick(1_000_000, 60_000, 999_999)).toBe(1_000_000);
  });
});
