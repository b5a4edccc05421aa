import { createEffect, createSignal, type JSX, on } from "solid-js";

/**
 * A task's on/off switch (role switch, named "Enabled"): it acts at once, without Save. It shows
 * the new position as soon as it is pressed, until the task says so too (or the change fails).
 */
export function EnabledSwitch(props: {
  checked: boolean;
  /** Answers whether the change was made. */
  onChange: (on: boolean) => Promise<boolean> | void;
  label?: string;
  disabled?: boolean;
}): JSX.Element {
  const [wanted, setWanted] = createSignal<boolean>();
  createEffect(
    on(
      () => props.checked,
      (c) => c === wanted() && setWanted(undefined),
    ),
  );
  const shown = (): boolean => wanted() ?? props.checked;
  const toggle = (): void => {
    const next = !shown();
    setWanted(next);
    void Promise.resolve(props.onChange(next)).then((ok) => ok === false && setWanted(undefined));
  };
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={shown()}
      aria-label={props.label ?? "Enabled"}
      title={shown() ? "Enabled: runs on its schedule" : "Paused: does not run on its schedule"}
      disabled={props.disabled}
      onClick={toggle}
    >
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
    </button>
  );
}
