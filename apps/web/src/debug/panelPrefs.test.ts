import { describe, expect, it } from "vitest";
import {
  clampHeight,
  DEFAULT_HEIGHT,
  HEIGHT_KEY,
  MIN_HEIGHT,
  OPEN_KEY,
  storedHeight,
  storedOpen,
  storeHeight,
  storeOpen,
  WORKSPACE_MIN,
} from "./panelPrefs.js";

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

describe("whether the Debug log is open", () => {
  it("is remembered on this device, and forgotten when closed", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    expect(storedOpen(storage)).toBe(false);
    storeOpen(true, storage);
    expect(store.get(OPEN_KEY)).toBe("1");
    expect(storedOpen(storage)).toBe(true);
    storeOpen(false, storage);
    expect(store.has(OPEN_KEY)).toBe(false);
    expect(storedOpen(storage)).toBe(false);
  });

  it("is never remembered where storage refuses", () => {
    const refusing = {
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("quota");
      },
    };
    expect(() => storeOpen(true, refusing)).not.toThrow();
  });
});
