import type { ChannelView } from "@botschat/model";
import { createEffect, createMemo, createSignal, createUniqueId, For, type JSX, on, Show } from "solid-js";
import { Dialog } from "../ui/Dialog.js";
import { sidebarOrder } from "./shortcuts.js";

/**
 * "Go to channel" (Ctrl/Cmd+K): a filter over the channels' names, the live ones first and the
 * archived ones last, as in the sidebar. ↑/↓ choose, Enter or a click opens, Escape closes.
 */
export function ChannelSwitcher(props: {
  channels: ChannelView[];
  current: string | undefined;
  onOpen: (id: string) => void;
  onClose: () => void;
}): JSX.Element {
  const [query, setQuery] = createSignal("");
  const [active, setActive] = createSignal(0);
  const listId = createUniqueId();
  const optionId = (i: number): string => `${listId}-${i}`;
  const matches = createMemo(() => {
    const q = query().trim().toLowerCase();
    const all = sidebarOrder(props.channels).filter((c) => c.name.toLowerCase().includes(q));
    // Names that start with what is typed come first.
    return q === "" ? all : [...all.filter((c) => c.name.toLowerCase().startsWith(q)), ...all.filter((c) => !c.name.toLowerCase().startsWith(q))];
  });
  createEffect(on(matches, () => setActive(0)));
  createEffect(() => document.getElementById(optionId(active()))?.scrollIntoView?.({ block: "nearest" }));
  const open = (c: ChannelView | undefined): void => {
    if (c === undefined) return;
    props.onClose();
    props.onOpen(c.id);
  };
  const onKey = (e: KeyboardEvent): void => {
    const n = matches().length;
    if (e.isComposing) return;
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n > 0) setActive((i) => (i + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    else if (e.key === "Enter") open(matches()[active()]);
    else return;
    e.preventDefault();
  };
  return (
    <Dialog title="Go to channel" onClose={props.onClose}>
      <input
        class="input"
        type="text"
        role="combobox"
        aria-label="Channel name"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches().length > 0 ? optionId(active()) : undefined}
        placeholder="Type a channel name"
        autocomplete="off"
        spellcheck={false}
        data-autofocus=""
        value={query()}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKey}
      />
      <ul class="switcher-list" id={listId} role="listbox" aria-label="Channels">
        <For each={matches()}>
          {(c, i) => (
            <li
              id={optionId(i())}
              role="option"
              aria-selected={i() === active()}
              classList={{ active: i() === active(), archived: c.archived === true }}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => setActive(i())}
              onClick={() => open(c)}
            >
              <span class="hash" aria-hidden="true">
                #
              </span>
              <span class="name">{c.name}</span>
              <Show when={c.archived}>
                <span class="switcher-note">archived</span>
              </Show>
              <Show when={c.id === props.current}>
                <span class="switcher-note">current</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={matches().length === 0}>
        <p class="switcher-empty">No channel is named like that.</p>
      </Show>
    </Dialog>
  );
}
