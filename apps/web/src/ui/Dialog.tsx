import { type JSX, onCleanup, onMount } from "solid-js";
import { Portal } from "solid-js/web";

/** The close handlers of the dialogs open now, the newest last. */
const openDialogs: (() => void)[] = [];

/**
 * Closes the newest open dialog, if any, and says whether there was one: the browser's Back (a
 * phone's back gesture) closes a dialog or sheet before it leaves the screen behind it.
 */
export function closeTopDialog(): boolean {
  const close = openDialogs.at(-1);
  close?.();
  return close !== undefined;
}

/**
 * A modal dialog: labelled by its title, Escape and a click outside close it, focus moves into
 * it on open and back to where it was on close.
 */
export function Dialog(props: { title: string; onClose: () => void; wide?: boolean; sheet?: boolean; children: JSX.Element }): JSX.Element {
  let box!: HTMLDivElement;
  const before = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === "Escape") {
      e.stopPropagation();
      props.onClose();
    }
  };
  onMount(() => {
    // In this order of preference (one selector list would take the first match in the page).
    const target = ["[data-autofocus]", "input, select, textarea", "button.primary", "button"]
      .map((q) => box.querySelector<HTMLElement>(q))
      .find((el) => el !== null);
    target?.focus();
  });
  const close = (): void => props.onClose();
  openDialogs.push(close);
  onCleanup(() => {
    const at = openDialogs.indexOf(close);
    if (at >= 0) openDialogs.splice(at, 1);
    before?.focus?.();
  });
  return (
    <Portal>
      <div class="overlay" classList={{ sheet: props.sheet === true }} onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          ref={(el) => (box = el)}
          class="dialog"
          classList={{ wide: props.wide === true }}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          onKeyDown={onKey}
        >
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
        </div>
      </div>
    </Portal>
  );
}

/**
 * Asks before something that cannot be undone; the confirm button carries `confirmLabel`. For a
 * `danger`ous action the focus starts on Cancel, so an Enter pressed by habit does not destroy.
 */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}): JSX.Element {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      <div class="dialog-actions">
        <button type="button" class="btn" data-autofocus={props.danger === true ? "" : undefined} onClick={() => props.onClose()}>
          Cancel
        </button>
        <button
          type="button"
          class="btn"
          classList={{ danger: props.danger === true, primary: props.danger !== true }}
          data-autofocus={props.danger === true ? undefined : ""}
          onClick={() => {
            props.onConfirm();
            props.onClose();
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
