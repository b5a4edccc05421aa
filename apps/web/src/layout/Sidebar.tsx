import type { ChannelView } from "@botschat/model";
import { createSignal, For, type JSX, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";
import { Menu } from "../ui/Menu.js";
import { Brand } from "../ui/Brand.js";
import { UnreadBadge } from "../unread/UnreadBadge.js";
import { sidebarOrder } from "./shortcuts.js";

/** The channel sidebar: channels (archived last, dimmed), "New channel", and per-channel actions. */
export function Sidebar(props: {
  channels: ChannelView[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (c: ChannelView) => void;
  onArchive: (c: ChannelView) => void;
  onDelete: (c: ChannelView) => void;
  /** The selected channel's tasks: how many, how many failed last time, whether they are on screen. */
  tasks: { count: number | undefined; failing: number; open: boolean };
  onTasks: () => void;
  footer: JSX.Element;
  /** How many unread messages a channel has. */
  unread?: (channel: string) => number;
  /** Out of reach: another screen of a phone's stack is shown. */
  inert?: boolean;
  /** The first-run guide, while it is offered: its current step, and whether it is on screen. */
  guide?: { step: number; of: number; open: boolean } | undefined;
  onGuide?: () => void;
}): JSX.Element {
  const [menuFor, setMenuFor] = createSignal<string>();
  const ordered = (): ChannelView[] => sidebarOrder(props.channels);
  return (
    <nav class="sidebar" aria-label="Channels" inert={props.inert === true}>
      <div class="sidebar-head">
        <Brand />
      </div>
      <Show when={props.guide}>
        {(g) => (
          <button type="button" class="guide-link" aria-current={g().open ? "page" : undefined} onClick={() => props.onGuide?.()}>
            <Icon name="flag" />
            <span class="name">Getting started</span>
            <span class="hint" aria-hidden="true">
              {g().step}/{g().of}
            </span>
            <span class="sr-only">
              , step {g().step} of {g().of}
            </span>
          </button>
        )}
      </Show>
      <div class="sidebar-section">
        <span>Channels</span>
        <button type="button" class="icon-btn" aria-label="New channel" title="New channel" onClick={() => props.onNew()}>
          <Icon name="plus" />
        </button>
      </div>
      <ul class="channel-list">
        <For each={ordered()} fallback={<li class="channel-empty">No channels yet.</li>}>
          {(c) => (
            <li class="channel-item" classList={{ active: c.id === props.selected, archived: c.archived === true, unread: (props.unread?.(c.id) ?? 0) > 0 }}>
              <button type="button" class="channel-link" aria-current={c.id === props.selected ? "page" : undefined} onClick={() => props.onSelect(c.id)}>
                <span class="hash" aria-hidden="true">
                  #
                </span>
                <span class="name">{c.name}</span>
              </button>
              <UnreadBadge count={props.unread?.(c.id) ?? 0} />
              <button
                type="button"
                class="icon-btn"
                aria-label={`Channel options for ${c.name}`}
                aria-haspopup="menu"
                aria-expanded={menuFor() === c.id}
                onClick={() => setMenuFor(menuFor() === c.id ? undefined : c.id)}
              >
                <Icon name="more" />
              </button>
              <Show when={c.id === props.selected}>
                <button
                  type="button"
                  class="channel-sub"
                  aria-current={props.tasks.open ? "page" : undefined}
                  title={props.tasks.failing > 0 ? `${props.tasks.failing} failed on their last run` : undefined}
                  onClick={() => props.onTasks()}
                >
                  <Icon name="clock" />
                  <span class="name">Tasks</span>
                  <Show when={props.tasks.failing > 0}>
                    <span class="dot err" aria-hidden="true" />
                  </Show>
                  <Show when={(props.tasks.count ?? 0) > 0}>
                    <span class="count" aria-hidden="true">
                      {props.tasks.count}
                    </span>
                  </Show>
                </button>
              </Show>
              <Show when={menuFor() === c.id}>
                <Menu
                  label={`Options for ${c.name}`}
                  style={{ top: "100%", right: "0" }}
                  onClose={() => setMenuFor(undefined)}
                  items={[
                    { label: "Rename channel", run: () => props.onRename(c) },
                    { label: c.archived ? "Unarchive channel" : "Archive channel", run: () => props.onArchive(c) },
                    { label: "Delete channel", danger: true, run: () => props.onDelete(c) },
                  ]}
                />
              </Show>
            </li>
          )}
        </For>
      </ul>
      <div class="sidebar-foot">{props.footer}</div>
    </nav>
  );
}
