import type { MessageView } from "@botschat/model";
import { createEffect, createMemo, createSignal, createUniqueId, For, type JSX, on, onCleanup, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";
import { type CommandOption, completeCommand } from "./commandCompletion.js";
import { type PendingFile, PendingFiles } from "./PendingFiles.js";
import { previewableImage } from "./previewableImage.js";

/** Whether a keydown in the composer sends: Enter without Shift, and not while an IME composes. */
export function sendsOnKey(e: Pick<KeyboardEvent, "key" | "shiftKey" | "isComposing" | "keyCode">): boolean {
  // keyCode 229 is what browsers report for the Enter that confirms an IME composition.
  return e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229;
}

/**
 * The message composer: a textbox named "Message" that grows with its text (Enter sends,
 * Shift+Enter breaks the line, IME-safe), attachments with previews, a quoted message, "Send".
 * `/model`, `/help`, `/skills` are sent as they are; the agent answers them. Given `commands`,
 * typing `/` opens a list of them ("Commands"): ↑/↓ choose, Enter or Tab complete, Escape closes.
 * Given `frequent`, a row of the person's most used commands sits above the box; one sends at a tap.
 */
export function Composer(props: {
  placeholder: string;
  /** The textbox's accessible name; "Message" by default. */
  label?: string;
  quote?: MessageView | undefined;
  onClearQuote?: () => void;
  onSend: (text: string, files: File[]) => Promise<boolean>;
  autofocus?: boolean;
  /** A line above the box about where messages go (e.g. that the agent is offline). */
  notice?: string | undefined;
  /** What `/` completes to; no completion without it. */
  commands?: readonly CommandOption[] | undefined;
  /** The person's most used commands, most used first: a row of buttons that send them. */
  frequent?: readonly string[] | undefined;
}): JSX.Element {
  const [text, setText] = createSignal("");
  const [files, setFiles] = createSignal<PendingFile[]>([]);
  let area!: HTMLTextAreaElement;
  let picker!: HTMLInputElement;

  // The `/` completion. Closed by Escape or by completing, until the text is typed again.
  const [dismissed, setDismissed] = createSignal(false);
  const [active, setActive] = createSignal(0);
  const listId = createUniqueId();
  const optionId = (i: number): string => `${listId}-${i}`;
  const matches = createMemo(() => (props.commands === undefined || dismissed() ? [] : completeCommand(text(), props.commands)));
  const open = (): boolean => matches().length > 0;
  createEffect(on(matches, () => setActive(0)));
  createEffect(() => {
    const el = open() ? document.getElementById(optionId(active())) : null;
    if (typeof el?.scrollIntoView === "function") el.scrollIntoView({ block: "nearest" });
  });
  const complete = (o: CommandOption): void => {
    setText(o.text);
    area.value = o.text;
    setDismissed(true);
    grow();
    area.focus();
    area.setSelectionRange(o.text.length, o.text.length);
  };
  /** Keys the open list takes; true when it took this one. */
  const listKey = (e: KeyboardEvent): boolean => {
    if (!open() || e.isComposing) return false;
    const n = matches().length;
    const chosen = matches()[active()]!;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      setActive((i) => (i + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (e.key === "Escape") {
      setDismissed(true);
      // The list closes, not what the composer sits in (a thread panel, a dialog).
      e.stopPropagation();
    } else if ((e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) || sendsOnKey(e)) {
      // Enter on a command already typed out sends it.
      if (e.key === "Enter" && chosen.text === text().trim()) return false;
      complete(chosen);
    } else {
      return false;
    }
    e.preventDefault();
    return true;
  };

  const grow = (): void => {
    area.style.height = "auto";
    area.style.height = `${Math.min(area.scrollHeight, 220)}px`;
  };
  const canSend = (): boolean => text().trim().length > 0 || files().length > 0;
  /**
   * Takes the text and files and empties the box at once, so whatever is typed while the message
   * is still sending stays in the box; puts them back only if the send fails and the box is still empty.
   */
  const send = async (): Promise<void> => {
    if (!canSend()) return;
    const taken = text();
    const takenFiles = files();
    setText("");
    setFiles([]);
    setDismissed(false);
    area.value = "";
    grow();
    area.focus();
    const ok = await props.onSend(
      taken,
      takenFiles.map((f) => f.file),
    );
    if (ok) {
      for (const f of takenFiles) if (f.preview) URL.revokeObjectURL(f.preview);
      return;
    }
    if (text() === "" && files().length === 0) {
      setText(taken);
      setFiles(takenFiles);
      area.value = taken;
      grow();
    } else {
      for (const f of takenFiles) if (f.preview) URL.revokeObjectURL(f.preview);
    }
  };
  const addFiles = (list: FileList | null): void => {
    if (list === null) return;
    const added = [...list].map((file) => ({ file, ...(previewableImage(file.type) ? { preview: URL.createObjectURL(file) } : {}) }));
    setFiles((prev) => [...prev, ...added]);
  };
  onCleanup(() => files().forEach((f) => f.preview && URL.revokeObjectURL(f.preview)));

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Show when={props.notice}>
        <p class="composer-notice" role="status">
          {props.notice}
        </p>
      </Show>
      <Show when={(props.frequent?.length ?? 0) > 0}>
        <div class="command-bar" role="group" aria-label="Frequent commands">
          <For each={props.frequent}>
            {(command) => (
              <button
                type="button"
                class="chip command-chip"
                title={`Send ${command}`}
                // The focus stays where it was: in the textbox, or off it so that a phone's keyboard stays closed.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => void props.onSend(command, [])}
              >
                {command}
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={open()}>
        <ul class="command-list" id={listId} role="listbox" aria-label="Commands">
          <For each={matches()}>
            {(o, i) => (
              <li
                id={optionId(i())}
                role="option"
                aria-selected={i() === active()}
                class={i() === active() ? "active" : undefined}
                // The textbox keeps the focus (and a phone its keyboard) while one is picked.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => complete(o)}
              >
                <span class="command-text">{o.text}</span>
                <span class="command-desc">{o.description}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="composer-box">
        <Show when={props.quote}>
          {(q) => (
            <div class="quote">
              <span style={{ overflow: "hidden", "text-overflow": "ellipsis", "white-space": "nowrap" }}>Quoting: {q().text}</span>
              <button type="button" class="icon-btn" aria-label="Remove quote" onClick={() => props.onClearQuote?.()}>
                <Icon name="close" />
              </button>
            </div>
          )}
        </Show>
        <PendingFiles
          files={files()}
          onRemove={(f) => {
            if (f.preview) URL.revokeObjectURL(f.preview);
            setFiles((p) => p.filter((x) => x !== f));
          }}
        />
        <textarea
          ref={(el) => {
            area = el;
            // Never take the focus from a dialog or a field the person is already typing in. In
            // the next frame, not during the render: focusing forces a layout of the page.
            if (props.autofocus) {
              requestAnimationFrame(() => {
                const typing = document.activeElement?.matches("input, textarea, select, [contenteditable]") === true;
                const busy = document.querySelector("[role=dialog]") !== null || typing;
                if (!busy) el.focus();
              });
            }
          }}
          aria-label={props.label ?? "Message"}
          aria-autocomplete={props.commands === undefined ? undefined : "list"}
          aria-expanded={props.commands === undefined ? undefined : open()}
          aria-controls={open() ? listId : undefined}
          aria-activedescendant={open() ? optionId(active()) : undefined}
          rows={1}
          placeholder={props.placeholder}
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setDismissed(false);
            grow();
          }}
          onKeyDown={(e) => {
            if (listKey(e)) return;
            if (sendsOnKey(e)) {
              e.preventDefault();
              void send();
            }
          }}
          onPaste={(e) => {
            if (e.clipboardData?.files.length) addFiles(e.clipboardData.files);
          }}
        />
        <div class="composer-bar">
          <button type="button" class="icon-btn" aria-label="Attach a file" title="Attach a file" onClick={() => picker.click()}>
            <Icon name="attach" />
          </button>
          <input ref={(el) => (picker = el)} type="file" multiple hidden onChange={(e) => (addFiles(e.currentTarget.files), (e.currentTarget.value = ""))} />
          <span class="hint">Enter to send · Shift+Enter for a new line{props.commands === undefined ? "" : " · / for commands"}</span>
          <span class="spacer" />
          <button type="submit" class="btn primary small" disabled={!canSend()}>
            <Icon name="send" /> Send
          </button>
        </div>
      </div>
    </form>
  );
}
