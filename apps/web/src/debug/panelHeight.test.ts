import { describe, expect, it } from "vitest";
import { clampHeight, DEFAULT_HEIGHT, HEIGHT_KEY, MIN_HEIGHT, storedHeight, storeHeight, WORKSPACE_MIN } from "./panelHeight.js";

describe("the Debug log's height", () => {
  it("stays between its minimum and what leaves the workspace room", () => {
    expect(clampHeight(300, 800)).toBe(300);
    expect(clampHeight(10, 800)).toBe(MIN_HEIGHT);
    expect(clampHeight(2000, 800)).toBe(800 - WORKSPACE_MIN);
    expect(clampHeight(NaN, 800)).toBe(DEFAULT_HEIGHT);
    // A window too short for both: the panel keeps its minimum.
    expect(clampHeight(500, 300)).toBe(MIN_HEIGHT);
  });

  it("is remembered on this device", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedHeight(storage)).toBe(DEFAULT_HEIGHT);
    storeHeight(333.4, storage);
    expect(store.get(HEIGHT_KEY)).toBe("333");
    expect(storedHeight(storage)).toBe(333);
  });
});
