import type { JSX } from "solid-js";

/** "‹ 2/3 ›" on a message with versions: shows the previous or next one on this device. */
export function VersionPicker(props: { index: number; count: number; onShow: (index: number) => void }): JSX.Element {
  return (
    <span class="versions" role="group" aria-label={`Version ${props.index + 1} of ${props.count}`}>
      <button
        type="button"
        class="icon-btn version-btn"
        aria-label="Previous version"
        title="Previous version"
        disabled={props.index <= 0}
        onClick={() => props.onShow(props.index - 1)}
      >
        ‹
      </button>
      <span class="version-count" aria-hidden="true">
        {props.index + 1}/{props.count}
      </span>
      <button
        type="button"
        class="icon-btn version-btn"
        aria-label="Next version"
        title="Next version"
        disabled={props.index >= props.count - 1}
        onClick={() => props.onShow(props.index + 1)}
      >
        ›
      </button>
    </span>
  );
}
