import { createRoot } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeTheme, resolveTheme, storedThemeChoice, THEME_KEY, type ThemeControl } from "./theme.js";

/** A stand-in for `matchMedia("(prefers-color-scheme: dark)")` whose answer a test changes. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const query = {
    matches: dark,
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  vi.stubGlobal(
    "matchMedia",
    vi.fn(() => query),
  );
  return {
    set(next: boolean) {
      query.matches = next;
      for (const l of listeners) l({ matches: next } as MediaQueryListEvent);
    },
    listeners,
  };
}

const drawn = (): string | null => document.documentElement.getAttribute("data-theme");

let dispose: (() => void) | undefined;
function start(): ThemeControl {
  return createRoot((d) => {
    dispose = d;
    return makeTheme();
  });
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  dispose?.();
  dispose = undefined;
  vi.unstubAllGlobals();
});

describe("theme", () => {
  it("resolves a choice against the system's scheme", () => {
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
  });

  it("follows the system by default, live, as it switches", () => {
    const system = fakeSystem(false);
    const theme = start();
    expect(theme.choice()).toBe("system");
    expect(drawn()).toBe("light");
    system.set(true);
    expect(theme.theme()).toBe("dark");
    expect(drawn()).toBe("dark");
    system.set(false);
    expect(drawn()).toBe("light");
  });

  it("a fixed choice ignores the system, is remembered on this device, and 'system' follows it again", () => {
    const system = fakeSystem(true);
    const theme = start();
    theme.choose("light");
    expect(drawn()).toBe("light");
    system.set(false);
    system.set(true);
    expect(drawn()).toBe("light");
    expect(localStorage.getItem(THEME_KEY)).toBe("light");
    expect(storedThemeChoice()).toBe("light");

    theme.choose("system");
    expect(drawn()).toBe("dark");
    expect(storedThemeChoice()).toBe("system");
  });

  it("the quick switch sets the other theme than the one drawn", () => {
    fakeSystem(true);
    const theme = start();
    theme.toggle();
    expect(theme.choice()).toBe("light");
    expect(drawn()).toBe("light");
    theme.toggle();
    expect(theme.choice()).toBe("dark");
  });

  it("starts from the stored choice, and reads anything unknown as following the system", () => {
    fakeSystem(false);
    localStorage.setItem(THEME_KEY, "dark");
    expect(start().theme()).toBe("dark");
    dispose?.();
    localStorage.setItem(THEME_KEY, "purple");
    expect(start().choice()).toBe("system");
  });

  it("stops listening to the system when the app goes", () => {
    const system = fakeSystem(false);
    start();
    expect(system.listeners.size).toBe(1);
    dispose?.();
    dispose = undefined;
    expect(system.listeners.size).toBe(0);
  });
});
