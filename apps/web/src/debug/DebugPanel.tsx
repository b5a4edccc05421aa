import type { LogCategory, SyncLogEntry } from "@botschat/model";
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";
import { filterLogLines, LOG_CATEGORIES, linesAfter, pressFilter } from "./filterLogLines.js";
import { afterScroll, atBottom, type Follow, FOLLOWING, unseenCount } from "./followLog.js";
import { groupLogLines, type LogGroup } from "./groupLogLines.js";
import { logAsText, logFileName } from "./logText.js";
import { LogRow } from "./LogRow.js";
import { clampHeight, MIN_HEIGHT, storedHeight, storeHeight, WORKSPACE_MIN } from "./panelPrefs.js";

/** The element id of the panel (the toggle button controls it). */
export const DEBUG_PANEL_ID = "debug-log";

/** What a press of an arrow key (or Page Up/Down) on the resize handle moves. */
const STEP = 24;
const PAGE_STEP = 96;

/**
 * The Debug log: the engine's log lines (never keys or plaintext), docked under the workspace,
 * which shrinks above it. Filterable by category and text, following new lines while the reader
 * is at the bottom, with repeated lines of one shape folded into one. On a phone it is a screen
 * of its own.
 */
export function DebugPanel(props: { lines: readonly SyncLogEntry[]; phone: boolean; onClose: () => void }): JSX.Element {
  const [shownCats, setShownCats] = createSignal<ReadonlySet<LogCategory>>(new Set(LOG_CATEGORIES));
  const [text, setText] = createSignal("");
  /** The newest line when the reader pressed Clear: the panel shows what came after it. */
  const [clearedAfter, setClearedAfter] = createSignal<SyncLogEntry>();
  const [follow, setFollow] = createSignal<Follow>(FOLLOWING);
  /** Expanded rows, by their group's first line. */
  const [expanded, setExpanded] = createSignal<ReadonlySet<SyncLogEntry>>(new Set());
  const [collapsed, setCollapsed] = createSignal(false);
  const [copied, setCopied] = createSignal<"Copy" | "Copied" | "Copy failed">("Copy");
  const [chosenHeight, setChosenHeight] = createSignal(storedHeight());
  const [windowHeight, setWindowHeight] = createSignal(innerHeight);
  const height = (): number => clampHeight(chosenHeight(), windowHeight());

  const shown = createMemo(() => filterLogLines(linesAfter(props.lines, clearedAfter()), shownCats(), text()));
  const groups = createMemo<LogGroup[]>((previous) => groupLogLines(shown(), previous), []);
  const unseen = (): number => unseenCount(follow(), shown());

  let list!: HTMLOListElement;
  let section!: HTMLElement;
  const toBottom = (): void => {
    list.scrollTop = list.scrollHeight;
  };
  // New lines (or another filter, or another height) keep the newest in view while following.
  createEffect(on([groups, height, collapsed], () => follow().following && toBottom()));
  const jump = (): void => {
    setFollow(FOLLOWING);
    toBottom();
  };
  /** A change of what is shown starts again from the newest line. */
  const reshow = (change: () => void): void => {
    setFollow(FOLLOWING);
    change();
  };

  const onResize = (): void => void setWindowHeight(innerHeight);
  addEventListener("resize", onResize);
  onCleanup(() => removeEventListener("resize", onResize));
  const resize = (h: number): void => {
    const next = clampHeight(h, windowHeight());
    setChosenHeight(next);
    storeHeight(next);
  };
  const startDrag = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    const startY = e.clientY;
    const startH = height();
    handle.setPointerCapture?.(e.pointerId);
    const move = (ev: PointerEvent): void => resize(startH + (startY - ev.clientY));
    const up = (): void => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", up);
  };
  const resizeByKey = (e: KeyboardEvent): void => {
    const max = Math.max(MIN_HEIGHT, windowHeight() - WORKSPACE_MIN);
    const to: Record<string, number> = {
      ArrowUp: height() + STEP,
      ArrowDown: height() - STEP,
      PageUp: height() + PAGE_STEP,
      PageDown: height() - PAGE_STEP,
      Home: max,
      End: MIN_HEIGHT,
    };
    if (to[e.key] === undefined) return;
    e.preventDefault();
    resize(to[e.key]!);
  };

  const toggleRow = (g: LogGroup): void =>
    void setExpanded((before) => {
      // Rows whose lines have left the log are forgotten, so the set stays as small as the log.
      const present = new Set(groups().map((x) => x.first));
      const next = new Set([...before].filter((l) => present.has(l)));
      if (next.has(g.first)) next.delete(g.first);
      else next.add(g.first);
      return next;
    });

  let copiedTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(copiedTimer));
  const copy = async (): Promise<void> => {
    const ok = await copyText(logAsText(shown()));
    setCopied(ok ? "Copied" : "Copy failed");
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => setCopied("Copy"), 1500);
  };
  const save = (): void => {
    const url = URL.createObjectURL(new Blob([logAsText(shown())], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = logFileName(Date.now());
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  // On a phone the panel is a screen of its own: the focus moves into it.
  onMount(() => {
    if (props.phone) section.focus();
    toBottom();
  });

  return (
    <section
      ref={(el) => (section = el)}
      id={DEBUG_PANEL_ID}
      class="debug-panel"
      classList={{ collapsed: collapsed() && !props.phone, phone: props.phone }}
      role="region"
      aria-label="Debug log"
      tabIndex={-1}
      style={{ "--debug-height": `${height()}px` }}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || e.defaultPrevented) return;
        // Escape in a filled-in text filter empties it first.
        if (e.target instanceof HTMLInputElement && e.target.value !== "") return;
        e.preventDefault();
        props.onClose();
      }}
    >
      <Show when={!props.phone && !collapsed()}>
        <div
          class="debug-resizer"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize debug log"
          aria-valuenow={height()}
          aria-valuemin={MIN_HEIGHT}
          aria-valuemax={Math.max(MIN_HEIGHT, windowHeight() - WORKSPACE_MIN)}
          tabIndex={0}
          title="Drag, or use the arrow keys, to resize"
          onPointerDown={startDrag}
          onKeyDown={resizeByKey}
        />
      </Show>
      <header class="debug-head">
        <h2 class="debug-title">Debug log</h2>
        <div class="debug-filters" role="group" aria-label="Filter by category" title="Shift+click shows only that category">
          <button
            type="button"
            class="debug-chip"
            aria-pressed={LOG_CATEGORIES.every((c) => shownCats().has(c))}
            onClick={() => reshow(() => setShownCats(pressFilter(shownCats(), "ALL")))}
          >
            ALL
          </button>
          <For each={LOG_CATEGORIES}>
            {(c) => (
              <button
                type="button"
                class={`debug-chip cat-${c}`}
                aria-pressed={shownCats().has(c)}
                onClick={(e) => reshow(() => setShownCats(pressFilter(shownCats(), c, e.shiftKey)))}
              >
                {c}
              </button>
            )}
          </For>
        </div>
        <input
          type="search"
          class="input debug-search"
          aria-label="Filter text"
          placeholder="Filter"
          value={text()}
          onInput={(e) => {
            const v = e.currentTarget.value;
            reshow(() => setText(v));
          }}
        />
        <div class="debug-actions">
          <button
            type="button"
            class="btn small ghost"
            title="Empty this view (lines that come later still show)"
            onClick={() => reshow(() => setClearedAfter(props.lines.at(-1)))}
          >
            Clear
          </button>
          <button type="button" class="btn small ghost" title="Copy the lines shown as text" aria-live="polite" onClick={() => void copy()}>
            {copied()}
          </button>
          <button type="button" class="btn small ghost" title="Save the lines shown as a text file" onClick={save}>
            Save
          </button>
          <Show when={!props.phone}>
            <button
              type="button"
              class="icon-btn debug-collapse"
              aria-expanded={!collapsed()}
              aria-controls={`${DEBUG_PANEL_ID}-lines`}
              aria-label={collapsed() ? "Expand debug log" : "Collapse debug log"}
              title={collapsed() ? "Expand" : "Collapse"}
              onClick={() => setCollapsed(!collapsed())}
            >
              <Icon name="back" />
            </button>
          </Show>
          <button type="button" class="icon-btn debug-close" aria-label="Close debug log" title="Close (Ctrl+`)" onClick={() => props.onClose()}>
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div class="debug-body" id={`${DEBUG_PANEL_ID}-lines`} hidden={collapsed() && !props.phone}>
        <ol
          ref={(el) => (list = el)}
          class="debug-lines"
          aria-label="Log lines"
          tabIndex={0}
          onScroll={() => setFollow((f) => afterScroll(f, atBottom(list), shown().at(-1)))}
        >
          <For each={groups()} fallback={<li class="hint debug-empty">{props.lines.length === 0 ? "Nothing logged yet." : "No line matches."}</li>}>
            {(g) => <LogRow group={g} open={expanded().has(g.first)} onToggle={() => toggleRow(g)} />}
          </For>
        </ol>
        <Show when={unseen() > 0}>
          <button type="button" class="jump-latest debug-jump" onClick={jump}>
            {unseen()} new {unseen() === 1 ? "line" : "lines"} ↓
          </button>
        </Show>
      </div>
    </section>
  );
}

/** Copies text; where the Clipboard API is missing (plain http on a LAN address) the old way. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, page not focused): try the old way.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  // execCommand is deprecated but is the only copy left outside secure contexts.
  const ok = document.execCommand?.("copy") === true;
  area.remove();
  return ok;
}
