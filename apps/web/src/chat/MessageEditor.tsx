import { createSignal, type JSX, onMount } from "solid-js";

/**
 * Edits a sent message in its row: the text in a field, "Save" sends it as a new version (the
 * agent answers it), "Cancel" or Escape leaves it as it was. Enter saves, Shift+Enter breaks the line.
 */
export function MessageEditor(props: { text: string; onSave: (text: string) => void; onCancel: () => void }): JSX.Element {
  const [text, setText] = createSignal(props.text);
  let field!: HTMLTextAreaElement;
  const changed = (): boolean => text().trim().length > 0 && text() !== props.text;
  const save = (): void => {
    if (changed()) props.onSave(text());
  };
  onMount(() => {
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  });
  return (
    <div class="msg-editor">
      <textarea
        ref={(el) => (field = el)}
        class="input"
        aria-label="Edit message"
        rows={Math.min(8, Math.max(2, props.text.split("\n").length))}
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            props.onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <div class="msg-editor-actions">
        <button type="button" class="btn small" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class="btn small primary" disabled={!changed()} onClick={save}>
          Save
        </button>
      </div>
    </div>
  );
}
