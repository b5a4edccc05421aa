import { type Accessor, createSignal, onCleanup } from "solid-js";

/** A theme choice: follow the system, or a fixed one. */
export type ThemeChoice = "system" | "light" | "dark";
/** What the page is drawn in. */
export type Theme = "light" | "dark";

/** Where this device keeps its choice (per device: a phone may want dark while the laptop follows the system). */
export const THEME_KEY = "botschat.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/** The theme a choice draws in, given whether the system is dark. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === "system" ? (systemDark ? "dark" : "light") : choice;
}

/** This device's choice; anything unknown (or storage refused) follows the system. */
export function storedThemeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

/** The theme controls the app gets. */
export interface ThemeControl {
  /** What the page is drawn in now. */
  theme: Accessor<Theme>;
  /** What this device chose. */
  choice: Accessor<ThemeChoice>;
  choose(choice: ThemeChoice): void;
  /** The quick switch: the other theme than the one drawn, as a fixed choice. */
  toggle(): void;
}

/**
 * The app's theme: this device's choice, "system" following `prefers-color-scheme` live; sets
 * `data-theme` on <html> so the CSS variables switch.
 */
export function makeTheme(): ThemeControl {
  const [choice, setChoice] = createSignal<ThemeChoice>(storedThemeChoice());
  const media = typeof matchMedia === "function" ? matchMedia(DARK_QUERY) : undefined;
  const [systemDark, setSystemDark] = createSignal(media?.matches === true);
  if (media !== undefined) {
    const onChange = (e: MediaQueryListEvent): void => {
      setSystemDark(e.matches);
      apply();
    };
    media.addEventListener("change", onChange);
    onCleanup(() => media.removeEventListener("change", onChange));
  }
  const theme = (): Theme => resolveTheme(choice(), systemDark());
  const apply = (): void => document.documentElement.setAttribute("data-theme", theme());
  const choose = (c: ThemeChoice): void => {
    setChoice(c);
    try {
      if (c === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, c);
    } catch {
      // Storage refused (a private window): the choice holds until the page closes.
    }
    apply();
  };
  apply();
  return { theme, choice, choose, toggle: () => choose(theme() === "dark" ? "light" : "dark") };
}
