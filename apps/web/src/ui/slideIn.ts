/** How long a screen takes to slide in. */
const SLIDE_MS = 220;

/**
 * Slides a screen in as a phone's stack does: a deeper screen from the right edge, the screen
 * Back returns to from a little to the left. Nothing moves when the person asked for reduced
 * motion (or where elements cannot animate).
 */
export function slideIn(el: Element, from: "right" | "left"): void {
  if (typeof el.animate !== "function") return;
  if (typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches) return;
  const frames =
    from === "right"
      ? [{ transform: "translateX(100%)" }, { transform: "none" }]
      : [
          { transform: "translateX(-25%)", opacity: 0.5 },
          { transform: "none", opacity: 1 },
        ];
  el.animate(frames, { duration: SLIDE_MS, easing: "cubic-bezier(0.2, 0.7, 0.2, 1)" });
}
