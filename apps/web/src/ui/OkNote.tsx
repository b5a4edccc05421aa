import { type JSX, Show } from "solid-js";

/** A sentence that a form's action succeeded, announced without taking the focus. */
export function OkNote(props: { message: string | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      <p class="ok-text" role="status">
        {props.message}
      </p>
    </Show>
  );
}
