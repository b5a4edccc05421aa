import { type JSX, Show } from "solid-js";

/**
 * A form's error sentence, announced to assistive technology (`role="alert"`) when it appears;
 * nothing is drawn while `message` is empty.
 */
export function ErrorNote(props: { message: string | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      <p class="error-text" role="alert">
        {props.message}
      </p>
    </Show>
  );
}
