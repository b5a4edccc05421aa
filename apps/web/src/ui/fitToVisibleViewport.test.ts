import { describe, expect, it } from "vitest";
import { fitToVisibleViewport, type ViewportLike } from "./fitToVisibleViewport.js";

function fakeViewport(height: number): ViewportLike & { height: number; offsetTop: number; fire(): void } {
  const listeners = new Set<() => void>();
  return {
    height,
    offsetTop: 0,
    addEventListener: (_t, l) => void listeners.add(l),
    removeEventListener: (_t, l) => void listeners.delete(l),
    fire: () => listeners.forEach((l) => l()),
  };
}

describe("fitToVisibleViewport", () => {
  it("follows the visible height as an on-screen keyboard opens and closes, until stopped", () => {
    const root = document.createElement("html");
    const vv = fakeViewport(844);
    const stop = fitToVisibleViewport(root, vv);
    expect(root.style.getPropertyValue("--app-height")).toBe("844px");
    vv.height = 508.4;
    vv.offsetTop = 120;
    vv.fire();
    expect(root.style.getPropertyValue("--app-height")).toBe("508px");
    expect(root.style.getPropertyValue("--app-top")).toBe("120px");
    stop();
    vv.height = 844;
    vv.fire();
    expect(root.style.getPropertyValue("--app-height")).toBe("508px");
  });

  it("does nothing where there is no visual viewport", () => {
    const root = document.createElement("html");
    fitToVisibleViewport(root, null)();
    expect(root.style.getPropertyValue("--app-height")).toBe("");
  });
});
