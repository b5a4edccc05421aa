import { type Accessor, createSignal } from "solid-js";

/** A theme choice: follow the system, or a fixed one. */
export type ThemeChoice = "system" | "light" | "dark";
const KEY = "botschat.theme";

function systemDark(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

/**
 * The app's theme: `prefers-color-scheme` unless the person chose one (kept in localStorage);
 * sets `data-theme` on <html> so the CSS variables switch.
 */
export function makeTheme(): { theme: Accessor<"light" | "dark">; toggle: () => void } {
  const stored = (localStorage.getItem(KEY) as ThemeChoice | null) ?? "system";
  const [choice, setChoice] = createSignal<ThemeChoice>(stored);
  const [sysDark, setSysDark] = createSignal(systemDark());
  if (typeof matchMedia === "function") {
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", (e) => setSysDark(e.matches));
  }
  const theme = (): "light" | "dark" => {
    const c = choice();
    return c === "system" ? (sysDark() ? "dark" : "light") : c;
  };
  const apply = (): void => document.documentElement.setAttribute("data-theme", theme());
  apply();
  return {
    theme,
    toggle() {
      const next = theme() === "dark" ? "light" : "dark";
      setChoice(next);
      localStorage.setItem(KEY, next);
      apply();
    },
  };
}
