import type { MessageView } from "@botschat/model";
import { createVirtualizer } from "@tanstack/solid-virtual";
import { createEffect, createMemo, createSignal, For, Index, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import type { EngineStatus, StreamView } from "../shared/views.js";
import { answerOrder } from "./answerOrder.js";
import { groupMessages, type GroupedMessage } from "./groupMessages.js";
import { MessageRow } from "./MessageRow.js";
import { shownVersions } from "./shownVersions.js";
import { StreamingRow } from "./StreamingRow.js";
import { streamPlaces } from "./streamPlaces.js";

/** Lists longer than this are virtualised: only the rows in view (and a margin) are in the DOM. */
export const VIRTUALISE_ABOVE = 150;

type Item = { kind: "msg"; row: GroupedMessage } | { kind: "stream"; stream: StreamView };

/** The streams whose reply has not landed in the document yet. */
export function openStreams(messages: readonly MessageView[], streams: ReadonlyMap<string, StreamView>): StreamView[] {
  const answered = new Set<string>();
  const byId = new Map<string, MessageView>();
  for (const m of messages) {
    byId.set(m.id, m);
    if (m.role === "agent" && m.replyTo !== undefined) answered.add(m.replyTo);
    // A version (an edit, a request for another answer) streams under its own record's id.
    for (const v of m.versions ?? []) {
      byId.set(v.ask.id, v.ask);
      if (v.reply !== undefined) answered.add(v.ask.id);
    }
  }
  return [...streams.values()].filter((s) => {
    if (answered.has(s.message)) return false;
    const asked = byId.get(s.message);
    if (asked === undefined) return false;
    if (s.done && asked.status !== "received") return false;
    return asked.status === "received" || asked.status === "pending" || !s.done;
  });
}

/**
 * The rows of a session or thread, oldest first, kept scrolled to the bottom while the reader is
 * there. A message this device sends brings the bottom into view wherever the reader was; others
 * arriving while the reader is scrolled up are counted on a "Jump to latest" button. Long lists
 * are virtualised with @tanstack/solid-virtual (rows measured as they render).
 */
export function MessageList(props: {
  messages: MessageView[];
  streams: Map<string, StreamView>;
  docOf: (message: string) => string | undefined;
  sync: EngineStatus;
  agentName: string;
  /** False when the agent is not connected: the person's waiting messages say they wait for it. */
  agentOnline?: boolean | undefined;
  inThread?: boolean;
  label: string;
  onQuote: (m: MessageView) => void;
  onStop: (s: StreamView) => void;
  header?: JSX.Element;
  /** The first unread message: a "New messages" divider goes above it. */
  unreadFrom?: string | undefined;
  /** Told whether the newest messages are in view, whenever that changes. */
  onAtBottom?: (atBottom: boolean) => void;
}): JSX.Element {
  let scroller!: HTMLDivElement;
  let atBottom = true;
  const [scrolledUp, setScrolledUp] = createSignal(false);
  /** Messages that arrived while the reader was scrolled up. */
  const [unseen, setUnseen] = createSignal(0);
  const byId = createMemo(() => new Map(props.messages.map((m) => [m.id, m])));
  /** The version shown of each message with versions, when this device chose one (else the latest). */
  const [chosen, setChosen] = createSignal<ReadonlyMap<string, string>>(new Map());
  const showVersion = (root: string, version: string | undefined): void => {
    setChosen((prev) => {
      const next = new Map(prev);
      if (version === undefined) next.delete(root);
      else next.set(root, version);
      return next;
    });
  };
  const ordered = createMemo(() => answerOrder(shownVersions(props.messages, chosen())));
  const grouped = createMemo(() => groupMessages(ordered()));
  const groupOf = createMemo(() => new Map(grouped().map((g) => [g.message.id, g])));
  const live = createMemo(() => openStreams(props.messages, props.streams));
  const places = createMemo(() => streamPlaces(ordered(), live(), props.messages));
  /** Rows right under a stream (or the New messages divider) start a group of their own: name and avatar shown. */
  const startsGroup = createMemo(() => {
    const out = new Set<string>(props.unreadFrom === undefined ? [] : [props.unreadFrom]);
    const rows = ordered();
    for (let i = 1; i < rows.length; i++) if (places().after.has(rows[i - 1]!.id)) out.add(rows[i]!.id);
    return out;
  });
  const items = createMemo<Item[]>(() => [
    ...grouped().flatMap((row) => [
      { kind: "msg" as const, row },
      ...(places().after.get(row.message.id) ?? []).map((stream) => ({ kind: "stream" as const, stream })),
    ]),
    ...places().atBottom.map((stream) => ({ kind: "stream" as const, stream })),
  ]);
  const virtual = (): boolean => items().length > VIRTUALISE_ABOVE;

  const virtualizer = createVirtualizer({
    get count() {
      return items().length;
    },
    getScrollElement: () => scroller,
    estimateSize: () => 64,
    overscan: 12,
    getItemKey: (i) => {
      const it = items()[i];
      return it === undefined ? i : it.kind === "msg" ? it.row.message.id : `stream:${it.stream.run}`;
    },
  });

  const toBottom = (): void => {
    if (virtual()) virtualizer.scrollToIndex(items().length - 1, { align: "end" });
    scroller.scrollTop = scroller.scrollHeight;
  };
  const jumpToLatest = (): void => {
    atBottom = true;
    props.onAtBottom?.(true);
    setScrolledUp(false);
    setUnseen(0);
    toBottom();
    requestAnimationFrame(toBottom);
  };
  const onScroll = (): void => {
    const was = atBottom;
    atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 48;
    if (atBottom !== was) props.onAtBottom?.(atBottom);
    setScrolledUp(!atBottom);
    if (atBottom) setUnseen(0);
  };
  // Messages new since the last look: this device's own bring the bottom into view (the person
  // just sent it); anyone else's, while scrolled up, are counted for the jump button.
  let lastSeen = props.messages.at(-1)?.id;
  createEffect(
    on(
      () => props.messages,
      (messages) => {
        const from = lastSeen === undefined ? 0 : messages.findIndex((m) => m.id === lastSeen) + 1;
        const fresh = from <= 0 && lastSeen !== undefined ? [] : messages.slice(from);
        lastSeen = messages.at(-1)?.id;
        if (fresh.length === 0) return;
        const mine = (m: MessageView): boolean => m.role === "user" && (m.author === undefined || m.author === props.sync.device);
        if (fresh.some(mine)) return jumpToLatest();
        if (!atBottom) setUnseen((n) => n + fresh.length);
      },
      { defer: true },
    ),
  );
  let content!: HTMLDivElement;
  onMount(() => {
    requestAnimationFrame(toBottom);
    // Rows that grow (a reply replacing its stream, an image loading) keep the bottom in view.
    // Rows that shrink (an answer replaced by the stream of its regenerate) may bring the bottom
    // into view without a scroll: the jump button goes then.
    const observer = new ResizeObserver(() => {
      if (atBottom) toBottom();
      else onScroll();
    });
    observer.observe(content);
    onCleanup(() => observer.disconnect());
  });
  // New rows or a growing stream keep the view at the bottom if the reader was there.
  createEffect(
    on(
      () => [items().length, items().at(-1)?.kind === "stream" ? (items().at(-1) as { stream: StreamView }).stream.text.length : 0],
      () => {
        if (atBottom) requestAnimationFrame(toBottom);
      },
    ),
  );

  /** A message's row; `withStreams`: followed by the streams answering it (the virtual list places those itself). */
  const row = (m: MessageView, withStreams = true): JSX.Element => (
    <>
      <Show when={m.id === props.unreadFrom}>
        <div class="unread-divider" role="separator" aria-label="New messages">
          <span>New messages</span>
        </div>
      </Show>
      <MessageRow
        row={startsGroup().has(m.id) ? { ...(groupOf().get(m.id) ?? { message: m }), first: true } : (groupOf().get(m.id) ?? { message: m, first: true })}
        doc={props.docOf(m.id) ?? ""}
        sync={props.sync}
        waitingFor={props.agentOnline === false ? props.agentName : undefined}
        quoted={m.replyTo !== undefined && m.answers === undefined && m.role === "user" ? byId().get(m.replyTo) : undefined}
        inThread={props.inThread === true}
        onQuote={props.onQuote}
        onShowVersion={showVersion}
      />
      <Show when={withStreams}>
        <Index each={places().after.get(m.id) ?? []}>{(s) => streamRow(s)}</Index>
      </Show>
    </>
  );
  const streamRow = (s: () => StreamView): JSX.Element => <StreamingRow stream={s()} name={props.agentName} onStop={() => props.onStop(s())} />;
  const render = (it: Item): JSX.Element => (it.kind === "msg" ? row(it.row.message, false) : streamRow(() => it.stream));

  return (
    <div class="messages-wrap">
      <div class="messages" ref={(el) => (scroller = el)} role="log" aria-label={props.label} aria-live="polite" tabIndex={0} onScroll={onScroll}>
        <div ref={(el) => (content = el)}>
          {props.header}
          <Show
            when={virtual()}
            fallback={
              <>
                <For each={ordered()}>{(m) => row(m)}</For>
                <Index each={places().atBottom}>{(s) => streamRow(s)}</Index>
              </>
            }
          >
            <div style={{ height: `${virtualizer.getTotalSize()}px`, position: "relative", width: "100%" }}>
              <For each={virtualizer.getVirtualItems()}>
                {(v) => (
                  <div
                    data-index={v.index}
                    ref={(el) => queueMicrotask(() => virtualizer.measureElement(el))}
                    style={{ position: "absolute", top: "0", left: "0", width: "100%", transform: `translateY(${v.start}px)` }}
                  >
                    {(() => {
                      const it = items()[v.index];
                      return it === undefined ? null : render(it);
                    })()}
                  </div>
                )}
              </For>
            </div>
          </Show>
        </div>
      </div>
      <Show when={scrolledUp()}>
        <button type="button" class="jump-latest" onClick={jumpToLatest}>
          <span aria-hidden="true">↓ </span>Jump to latest
          <Show when={unseen() > 0}> ({unseen()} new)</Show>
        </button>
      </Show>
    </div>
  );
}
