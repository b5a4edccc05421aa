import { type Accessor, createSignal, onCleanup } from "solid-js";

/** Screens narrower than this are phones: one screen at a time, in a stack (styles.css says the same). */
export const PHONE_QUERY = "(max-width: 767.98px)";

/** Whether a media query matches, kept true as the window changes (false where there is no `matchMedia`). */
export function createMediaQuery(query: string): Accessor<boolean> {
  if (typeof matchMedia !== "function") return () => false;
  const list = matchMedia(query);
  const [matches, setMatches] = createSignal(list.matches);
  const change = (e: MediaQueryListEvent): void => void setMatches(e.matches);
  list.addEventListener("change", change);
  onCleanup(() => list.removeEventListener("change", change));
  return matches;
}
