import { For, type JSX } from "solid-js";
import { Dialog } from "../ui/Dialog.js";
import { shortcutList } from "./shortcuts.js";

/** "Keyboard shortcuts" (`?`): every workspace shortcut and what it does. */
export function ShortcutsDialog(props: { mac: boolean; onClose: () => void }): JSX.Element {
  return (
    <Dialog title="Keyboard shortcuts" onClose={props.onClose}>
      <dl class="shortcut-list">
        <For each={shortcutList(props.mac)}>
          {(s) => (
            <div class="shortcut-row">
              <dt>
                <For each={s.keys}>{(k) => <kbd>{k}</kbd>}</For>
              </dt>
              <dd>{s.does}</dd>
            </div>
          )}
        </For>
      </dl>
      <div class="dialog-actions">
        <button type="button" class="btn primary" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
