/** The part of `VisualViewport` this needs (a test passes its own). */
export interface ViewportLike {
  readonly height: number;
  readonly offsetTop: number;
  addEventListener(type: "resize" | "scroll", listener: () => void): void;
  removeEventListener(type: "resize" | "scroll", listener: () => void): void;
}

/**
 * Keeps the app the height of what is visible: `--app-height` follows the visual viewport, which
 * an on-screen keyboard shrinks where the layout viewport stays (Safari; Chromium with
 * `interactive-widget=resizes-content` resizes the layout itself and this changes nothing), so
 * the composer at the bottom of the app stays above the keyboard. Answers a function that stops.
 */
export function fitToVisibleViewport(root: HTMLElement, viewport: ViewportLike | null | undefined = globalThis.visualViewport): () => void {
  if (viewport === null || viewport === undefined) return () => {};
  const fit = (): void => {
    root.style.setProperty("--app-height", `${Math.round(viewport.height)}px`);
    // Safari scrolls the page up under the keyboard: the app is pinned to what is shown.
    root.style.setProperty("--app-top", `${Math.round(viewport.offsetTop)}px`);
  };
  fit();
  viewport.addEventListener("resize", fit);
  viewport.addEventListener("scroll", fit);
  return () => {
    viewport.removeEventListener("resize", fit);
    viewport.removeEventListener("scroll", fit);
  };
}
