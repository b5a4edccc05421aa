import type { DocumentId, MessageView } from "@botschat/model";
import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { ChannelDocView, MessageDocView, RootView, StreamView } from "../shared/views.js";
import type { WorkspaceClient } from "./WorkspaceClient.js";

/** The workspace root (sidebar channels, gateways), live. */
export function createRootView(ws: WorkspaceClient, initial?: RootView): Accessor<RootView> {
  const [root, setRoot] = createStore<RootView>(initial ?? { channels: [], gateways: [] });
  const stop = ws.watch({ kind: "root" }, (u) => {
    if (u.kind === "root") setRoot(reconcile(u.root, { key: "id" }));
  });
  onCleanup(stop);
  return () => root;
}

/** A channel document's sessions, live; follows the channel accessor. */
export function createChannelView(ws: WorkspaceClient, doc: Accessor<DocumentId | undefined>, initial?: ChannelDocView): Accessor<ChannelDocView | undefined> {
  const [view, setView] = createSignal<ChannelDocView | undefined>(undefined);
  createEffect(
    on(doc, (d) => {
      setView(initial !== undefined && initial.doc === d ? initial : undefined);
      if (d === undefined) return;
      const stop = ws.watch({ kind: "channel", doc: d }, (u) => {
        if (u.kind === "channel" && u.channel.doc === d) setView(u.channel);
      });
      onCleanup(stop);
    }),
  );
  return view;
}

/** The messages of one or more documents (a session's pages, or a thread), with their reply streams. */
export interface MessagesView {
  messages: Accessor<MessageView[]>;
  /** Streams by the message they answer. */
  streams: Accessor<Map<string, StreamView>>;
  /** True once every document answered at least once. */
  loaded: Accessor<boolean>;
  /** Which document holds a message. */
  docOf(message: string): DocumentId | undefined;
  /** The messages of one of the documents. */
  pages(doc: DocumentId): MessageView[] | undefined;
}

/**
 * Watches every document of `docs` (a session's pages in order, or one thread) and merges their
 * messages in reading order. A page that changes replaces only its own slice, keyed by id, so
 * rows that did not change keep their DOM.
 */
export function createMessagesView(ws: WorkspaceClient, docs: Accessor<readonly DocumentId[]>, initial: readonly MessageDocView[] = []): MessagesView {
  const [pages, setPages] = createStore<Record<string, MessageView[]>>({});
  const [present, setPresent] = createSignal<Set<string>>(new Set());
  const [streams, setStreams] = createSignal<Map<string, StreamView>>(new Map());
  const holder = new Map<string, DocumentId>();
  const key = createMemo(() => docs().join(","));
  createEffect(
    on(key, () => {
      const list = docs();
      setPresent(new Set<string>());
      setStreams(new Map());
      holder.clear();
      setPages(reconcile({}));
      // A cached view of these documents is drawn until the worker sends the live one.
      for (const v of initial) {
        if (!list.includes(v.doc)) continue;
        for (const m of v.messages) holder.set(m.id, v.doc);
        setPages(v.doc, v.messages);
      }
      for (const d of list) {
        const stop = ws.watch({ kind: "messages", doc: d }, (u) => {
          if (u.kind === "messages") {
            for (const m of u.view.messages) holder.set(m.id, d);
            setPages(d, reconcile(u.view.messages, { key: "id" }));
            setPresent((s) => (s.has(d) ? s : new Set([...s, d])));
          } else if (u.kind === "stream") {
            setStreams((prev) => new Map(prev).set(u.stream.message, u.stream));
          }
        });
        onCleanup(stop);
      }
    }),
  );
  const messages = createMemo(() => docs().flatMap((d) => pages[d] ?? []));
  return {
    messages,
    pages: (d) => pages[d],
    streams,
    loaded: () => docs().every((d) => present().has(d)),
    docOf: (m) => holder.get(m),
  };
}
