import type { JSX } from "solid-js";

/** A task's on/off switch (role switch, named "Enabled"): it acts at once, without Save. */
export function EnabledSwitch(props: { checked: boolean; onChange: (on: boolean) => void; label?: string; disabled?: boolean }): JSX.Element {
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={props.checked}
      aria-label={props.label ?? "Enabled"}
      title={props.checked ? "Enabled: runs on its schedule" : "Paused: does not run on its schedule"}
      disabled={props.disabled}
      onClick={() => props.onChange(!props.checked)}
    >
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
    </button>
  );
}
