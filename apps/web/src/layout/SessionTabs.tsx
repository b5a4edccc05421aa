import type { SessionView } from "@botschat/model";
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";
import { Menu, type MenuItem } from "../ui/Menu.js";
import { UnreadBadge } from "../unread/UnreadBadge.js";
import { isMacPlatform, newSessionKeys } from "./shortcuts.js";

/** Where a session menu is open: the options button's menu, or a tab's context menu at a point. */
type OpenMenu = { kind: "options" } | { kind: "tab"; session: SessionView; x: number; y: number };

/**
 * Session tabs of a channel. Click selects, double-click (or F2) renames in place (Enter keeps,
 * Escape cancels), × closes the tab (the session is archived: nothing is lost), "New session"
 * adds one. A tab's context menu (right-click, Shift+F10 or the context-menu key) and the
 * "Session options" button offer Rename, Close and Delete (the caller confirms a delete); the
 * options menu also lists the closed sessions, to reopen one. Arrow keys move between tabs.
 */
export function SessionTabs(props: {
  /** Every live session of the channel; the archived ones are the closed tabs. */
  sessions: SessionView[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (s: SessionView, title: string) => void;
  onClose: (s: SessionView) => void;
  onReopen: (s: SessionView) => void;
  onDelete: (s: SessionView) => void;
  /** How many unread messages a session has. */
  unread?: (session: string) => number;
}): JSX.Element {
  const [editing, setEditing] = createSignal<string>();
  const [menu, setMenu] = createSignal<OpenMenu>();
  const open = (): SessionView[] => props.sessions.filter((s) => s.archived !== true);
  const closed = (): SessionView[] => props.sessions.filter((s) => s.archived === true);
  const current = (): SessionView | undefined => open().find((s) => s.id === props.selected);
  let list!: HTMLDivElement;
  const mac = isMacPlatform();

  const actions = (s: SessionView): MenuItem[] => [
    { label: "Rename session", run: () => setEditing(s.id) },
    { label: "Close session", run: () => props.onClose(s) },
    { label: "Delete session", danger: true, run: () => props.onDelete(s) },
  ];
  const optionItems = (): MenuItem[] => {
    const s = current();
    const reopen = closed().map((c, i): MenuItem => ({
      label: c.title,
      name: `Reopen session ${c.title}`,
      run: () => props.onReopen(c),
      ...(i === 0 ? { heading: `Closed sessions (${closed().length})` } : {}),
    }));
    return [...(s ? actions(s) : []), ...reopen];
  };

  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const tabs = [...list.querySelectorAll<HTMLButtonElement>("button[role=tab]")];
    const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = tabs[(at + (e.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length];
    next?.focus();
    next?.click();
  };
  // The selected tab is always in view, however many tabs there are (the strip scrolls).
  createEffect(
    on([() => props.selected, () => open().length], () =>
      requestAnimationFrame(() => list.querySelector(".tab.active")?.scrollIntoView({ block: "nearest", inline: "nearest" })),
    ),
  );

  const rename = (s: SessionView, value: string): void => {
    const v = value.trim();
    setEditing(undefined);
    if (v && v !== s.title) props.onRename(s, v);
  };

  return (
    <div class="tabs">
      <div class="tab-strip" role="tablist" aria-label="Sessions" ref={(el) => (list = el)} onKeyDown={onKey}>
        <For each={open()}>
          {(s) => (
            <div class="tab" classList={{ active: s.id === props.selected, unread: (props.unread?.(s.id) ?? 0) > 0 }}>
              <Show
                when={editing() === s.id}
                fallback={
                  <button
                    type="button"
                    role="tab"
                    class="tab-title"
                    aria-selected={s.id === props.selected}
                    tabIndex={s.id === props.selected ? 0 : -1}
                    title={`${s.title} (double-click to rename, right-click for more)`}
                    onClick={() => props.onSelect(s.id)}
                    onDblClick={() => setEditing(s.id)}
                    onContextMenu={(e) => {
                      e.preventDefault();
                      setMenu({ kind: "tab", session: s, x: e.clientX, y: e.clientY });
                    }}
                    onKeyDown={(e) => {
                      if (e.key === "F2") setEditing(s.id);
                      else if (e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey)) {
                        e.preventDefault();
                        const r = e.currentTarget.getBoundingClientRect();
                        setMenu({ kind: "tab", session: s, x: r.left, y: r.bottom });
                      }
                    }}
                  >
                    {s.title}
                  </button>
                }
              >
                <input
                  aria-label="Session name"
                  value={s.title}
                  maxLength={80}
                  ref={(el) => queueMicrotask(() => (el.focus(), el.select()))}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") rename(s, e.currentTarget.value);
                    else if (e.key === "Escape") {
                      // Only the renaming ends (not the thread beside it).
                      e.preventDefault();
                      setEditing(undefined);
                    }
                  }}
                  onBlur={(e) => editing() === s.id && rename(s, e.currentTarget.value)}
                />
              </Show>
              <UnreadBadge count={props.unread?.(s.id) ?? 0} />
              <button type="button" class="icon-btn" aria-label={`Close session ${s.title}`} title="Close session" onClick={() => props.onClose(s)}>
                <Icon name="close" />
              </button>
            </div>
          )}
        </For>
      </div>
      <button
        type="button"
        class="btn ghost small new-session"
        title={`New session (${mac ? "⌘⇧O" : "Ctrl+Shift+O"})`}
        aria-keyshortcuts={newSessionKeys(mac)}
        onClick={() => props.onNew()}
      >
        <Icon name="plus" /> <span class="new-session-label">New session</span>
      </button>
      <Show when={current() !== undefined || closed().length > 0}>
        <button
          type="button"
          class="icon-btn session-options"
          aria-label="Session options"
          title={closed().length > 0 ? `Session options (${closed().length} closed)` : "Session options"}
          aria-haspopup="menu"
          aria-expanded={menu()?.kind === "options"}
          onClick={() => setMenu(menu()?.kind === "options" ? undefined : { kind: "options" })}
        >
          <Icon name="more" />
        </button>
      </Show>
      <Show when={menu()} keyed>
        {(at) =>
          at.kind === "options" ? (
            <Menu label="Session options" style={{ top: "100%", right: "8px" }} items={optionItems()} onClose={() => setMenu(undefined)} />
          ) : (
            <Menu
              label={`Options for session ${at.session.title}`}
              style={{ position: "fixed", left: `${Math.max(0, Math.min(at.x, innerWidth - 200))}px`, top: `${at.y}px` }}
              items={actions(at.session)}
              onClose={() => setMenu(undefined)}
            />
          )
        }
      </Show>
    </div>
  );
}
