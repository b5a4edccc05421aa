import type { DocumentId, MessageView } from "@botschat/model";
import { commandOf } from "@botschat/model/commands";
import { createMemo, createSignal, type JSX, onCleanup, Show } from "solid-js";
import { createMessagesView } from "../bridge/createViews.js";
import { uploadAll } from "../chat/ChatView.js";
import { Composer } from "../chat/Composer.js";
import { createComposerCommands } from "../chat/composerCommands.js";
import { MessageList } from "../chat/MessageList.js";
import { MessageRow } from "../chat/MessageRow.js";
import { threadParent } from "../chat/shownVersions.js";
import { Icon } from "../ui/Icon.js";
import { useWorkspace } from "./WorkspaceContext.js";

const WIDTH_KEY = "botschat.threadWidth";

/**
 * The thread of one message, in a panel on the right that the reader can resize (drag the left
 * edge, or focus it and use the arrow keys): the parent message, its replies, a composer. On a
 * phone it is a screen of its own, with Back to the chat.
 */
export function ThreadPanel(props: { pageDoc: DocumentId; message: string; agentName: string; agentOnline?: boolean; onClose: () => void }): JSX.Element {
  const ctx = useWorkspace();
  const [width, setWidth] = createSignal(Number(localStorage.getItem(WIDTH_KEY)) || 400);
  const page = createMessagesView(ctx.ws, () => [props.pageDoc]);
  const parent = createMemo(() => threadParent(page.messages(), props.message));
  const [sentDoc, setSentDoc] = createSignal<DocumentId>();
  const threadDoc = createMemo(() => (parent()?.thread?.doc as DocumentId | undefined) ?? sentDoc());
  const thread = createMessagesView(ctx.ws, () => {
    const d = threadDoc();
    return d === undefined ? [] : [d];
  });
  const [quote, setQuote] = createSignal<MessageView>();
  // The same `/` completion and command bar as the chat's composer; the thread is in the open session.
  const slash = createComposerCommands({
    gateway: () => ctx.chatGateway(),
    model: () => {
      const s = ctx.session();
      return s?.pages.includes(props.pageDoc) ? s.model : undefined;
    },
    commands: () => ctx.commands(),
  });

  const resize = (w: number): void => {
    const clamped = Math.max(300, Math.min(w, Math.round(window.innerWidth * 0.6)));
    setWidth(clamped);
    localStorage.setItem(WIDTH_KEY, String(clamped));
  };
  const startDrag = (e: PointerEvent): void => {
    e.preventDefault();
    const startX = e.clientX;
    const startW = width();
    const move = (ev: PointerEvent): void => resize(startW + (startX - ev.clientX));
    const up = (): void => {
      removeEventListener("pointermove", move);
      removeEventListener("pointerup", up);
    };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
    onCleanup(up);
  };

  const send = async (text: string, files: File[]): Promise<boolean> => {
    const up = files.length > 0 ? await uploadAll(ctx.ws.api, files) : { ok: true as const, media: [] };
    if (!up.ok) {
      ctx.notify(up.message);
      return false;
    }
    // A command goes as it is, as from the chat (the agent answers it and the command bar counts
    // it); the quote waits for the next message.
    const q = commandOf(text) === undefined ? quote() : undefined;
    const body = q ? `> ${q.text.split("\n").join("\n> ")}\n\n${text}` : text;
    const r = await ctx.ws.api.replyInThread({
      pageDoc: props.pageDoc,
      message: props.message as never,
      text: body,
      ...(up.media.length > 0 ? { media: up.media } : {}),
    });
    if (!r.ok) ctx.notify(r.message);
    else {
      setSentDoc(r.value.doc);
      if (q) setQuote(undefined);
    }
    return r.ok;
  };

  return (
    <aside
      class="thread"
      style={{ width: `${width()}px` }}
      aria-label="Thread"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || e.defaultPrevented) return;
        // Taken here: the workspace's Escape would close it a second time.
        e.preventDefault();
        props.onClose();
      }}
    >
      <div
        class="resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize thread panel"
        aria-valuenow={width()}
        tabIndex={0}
        onPointerDown={startDrag}
        onKeyDown={(e) => {
          if (e.key === "ArrowLeft") resize(width() + 24);
          else if (e.key === "ArrowRight") resize(width() - 24);
        }}
      />
      <div class="thread-head">
        <button type="button" class="icon-btn mobile-only back" aria-label="Back" onClick={() => props.onClose()}>
          <Icon name="back" />
        </button>
        <h2>Thread</h2>
        <button type="button" class="icon-btn close" aria-label="Close thread" onClick={() => props.onClose()}>
          <Icon name="close" />
        </button>
      </div>
      <MessageList
        messages={thread.messages()}
        streams={thread.streams()}
        docOf={thread.docOf}
        sync={ctx.ws.status()}
        agentName={props.agentName}
        agentOnline={props.agentOnline}
        inThread
        label="Thread replies"
        onQuote={setQuote}
        onStop={(s) => void ctx.ws.api.stopReply({ doc: s.doc, message: s.message, run: s.run })}
        header={
          <Show when={parent()}>
            {(p) => (
              <div class="thread-parent">
                <MessageRow row={{ message: p(), first: true }} doc={props.pageDoc} sync={ctx.ws.status()} inThread onQuote={setQuote} />
                <div class="thread-count">
                  {thread.messages().length} {thread.messages().length === 1 ? "reply" : "replies"}
                </div>
              </div>
            )}
          </Show>
        }
      />
      <Composer
        placeholder="Reply in thread…"
        label="Reply"
        quote={quote()}
        onClearQuote={() => setQuote(undefined)}
        onSend={send}
        commands={slash.commands()}
        frequent={slash.frequent()}
        autofocus
        notice={props.agentOnline === false ? `${props.agentName} is offline: replies wait here until it connects.` : undefined}
      />
    </aside>
  );
}
