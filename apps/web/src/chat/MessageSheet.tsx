import { For, type JSX } from "solid-js";
import { Dialog } from "../ui/Dialog.js";

/** One action of a message's sheet. */
export interface SheetAction {
  label: string;
  run: () => void;
}

/**
 * A message's actions on a touch screen, as a sheet from the bottom of the screen: opened by a
 * tap or a long press on that message (there is no hover to show a toolbar on), named after it.
 */
export function MessageSheet(props: { about: string; actions: SheetAction[]; onClose: () => void }): JSX.Element {
  return (
    <Dialog title="Message actions" sheet onClose={props.onClose}>
      <p class="sheet-about">{props.about}</p>
      <div class="sheet-actions">
        <For each={props.actions}>
          {(a) => (
            <button
              type="button"
              class="btn sheet-action"
              onClick={() => {
                props.onClose();
                a.run();
              }}
            >
              {a.label}
            </button>
          )}
        </For>
        <button type="button" class="btn sheet-action" onClick={() => props.onClose()}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** Whether a tap landed on something of its own (a link, a button, a summary, a field, media, an action block). */
export const tapOwnsTarget = (target: EventTarget | null): boolean =>
  target instanceof Element && target.closest("a, button, summary, input, select, textarea, label, img, video, audio, .code-block, .actions") !== null;
