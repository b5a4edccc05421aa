import { For, type JSX } from "solid-js";
import type { ThemeChoice, ThemeControl } from "../ui/theme.js";

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "system", label: "Follow the system" },
];

/** The theme of this device: light, dark, or whatever the system uses (followed as it changes). */
export function AppearanceSection(props: { theme: ThemeControl }): JSX.Element {
  return (
    <section class="settings-section" aria-labelledby="settings-appearance">
      <h3 id="settings-appearance">Appearance</h3>
      <fieldset class="choice-group">
        <legend>Theme</legend>
        <For each={CHOICES}>
          {(c) => (
            <label class="choice">
              <input type="radio" name="theme" value={c.value} checked={props.theme.choice() === c.value} onChange={() => props.theme.choose(c.value)} />
              {c.label}
            </label>
          )}
        </For>
      </fieldset>
      <p class="hint">On this device only. Following the system, the theme switches when the system's does (at dusk, for one).</p>
    </section>
  );
}
