import type { SessionView } from "@botschat/model";
import { createSignal, For, type JSX, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";

/**
 * Session tabs of a channel: click selects, double-click renames in place (Enter keeps, Escape
 * cancels), × deletes after a confirm, "New session" adds one. Arrow keys move between tabs.
 */
export function SessionTabs(props: {
  sessions: SessionView[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (s: SessionView, title: string) => void;
  onDelete: (s: SessionView) => void;
}): JSX.Element {
  const [editing, setEditing] = createSignal<string>();
  let list!: HTMLDivElement;
  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const tabs = [...list.querySelectorAll<HTMLButtonElement>("button[role=tab]")];
    const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = tabs[(at + (e.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length];
    next?.focus();
    next?.click();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label="Sessions" style={{ display: "flex", gap: "2px" }} ref={(el) => (list = el)} onKeyDown={onKey}>
        <For each={props.sessions}>
          {(s) => (
            <div class="tab" classList={{ active: s.id === props.selected }}>
              <Show
                when={editing() === s.id}
                fallback={
                  <button
                    type="button"
                    role="tab"
                    class="tab-title"
                    aria-selected={s.id === props.selected}
                    tabIndex={s.id === props.selected ? 0 : -1}
                    title="Double-click to rename"
                    onClick={() => props.onSelect(s.id)}
                    onDblClick={() => setEditing(s.id)}
                    onKeyDown={(e) => e.key === "F2" && setEditing(s.id)}
                  >
                    {s.title}
                  </button>
                }
              >
                <input
                  aria-label="Session name"
                  value={s.title}
                  ref={(el) => queueMicrotask(() => (el.focus(), el.select()))}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      const v = e.currentTarget.value.trim();
                      setEditing(undefined);
                      if (v && v !== s.title) props.onRename(s, v);
                    } else if (e.key === "Escape") setEditing(undefined);
                  }}
                  onBlur={(e) => {
                    const v = e.currentTarget.value.trim();
                    if (editing() !== s.id) return;
                    setEditing(undefined);
                    if (v && v !== s.title) props.onRename(s, v);
                  }}
                />
              </Show>
              <button type="button" class="icon-btn" aria-label={`Delete session ${s.title}`} title="Delete session" onClick={() => props.onDelete(s)}>
                <Icon name="close" />
              </button>
            </div>
          )}
        </For>
      </div>
      <button type="button" class="btn ghost small new-session" onClick={() => props.onNew()}>
        <Icon name="plus" /> New session
      </button>
    </div>
  );
}
