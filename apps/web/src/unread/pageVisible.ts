import { type Accessor, createSignal, onCleanup } from "solid-js";

/** Whether the page is on screen (not a background tab, not minimised), live. */
export function createPageVisible(): Accessor<boolean> {
  const [visible, setVisible] = createSignal(document.visibilityState === "visible");
  const update = (): void => void setVisible(document.visibilityState === "visible");
  document.addEventListener("visibilitychange", update);
  onCleanup(() => document.removeEventListener("visibilitychange", update));
  return visible;
}
