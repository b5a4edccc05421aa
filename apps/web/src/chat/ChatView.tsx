import type { CommandUseView, DocumentId, GatewayView, MediaInput, MessageView, SessionId, SessionView } from "@botschat/model";
import { createEffect, createSignal, type JSX, Show } from "solid-js";
import type { MessageDocView, SessionUnreadView } from "../shared/views.js";
import { createReadTracker } from "../unread/readTracker.js";
import { createMessagesView } from "../bridge/createViews.js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { StreamView } from "../shared/views.js";
import { Composer } from "./Composer.js";
import { createComposerCommands } from "./composerCommands.js";
import { MessageList } from "./MessageList.js";

/** Uploads picked files through the worker (encrypted, [K7]); answers what to attach, or an error. */
export async function uploadAll(
  api: ReturnType<typeof useWorkspace>["ws"]["api"],
  files: File[],
): Promise<{ ok: true; media: MediaInput[] } | { ok: false; message: string }> {
  const media: MediaInput[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const r = await api.uploadBlob({ name: file.name, mime: file.type || "application/octet-stream", bytes });
    if (!r.ok) return { ok: false, message: `${file.name}: ${r.message}` };
    media.push(r.value);
  }
  return { ok: true, media };
}

/** The chat of one session: its pages' messages, live reply streams, and the composer. */
export function ChatView(props: {
  channelDoc: DocumentId;
  session: SessionView;
  agentName: string;
  /** Whether the channel's agent is connected now; its absence is said at the composer. */
  agentOnline?: boolean;
  channelName: string;
  /** Cached pages to draw until the live ones arrive. */
  initial?: MessageDocView[] | undefined;
  /** Called with the last page as shown, whenever it changes (for the warm-start cache). */
  onShown?: (pages: MessageDocView[]) => void;
  /** What is unread in this session; undefined until known. */
  unread?: SessionUnreadView | undefined;
  /** Whether the page is on screen. */
  visible?: boolean;
  /** The channel's gateway: its models and skills are what `/` suggests. */
  gateway?: GatewayView | undefined;
  /** The person's slash commands, most used first (the command bar). */
  commands?: readonly CommandUseView[] | undefined;
}): JSX.Element {
  const ctx = useWorkspace();
  const slash = createComposerCommands({ gateway: () => props.gateway, model: () => props.session.model, commands: () => props.commands });
  const view = createMessagesView(ctx.ws, () => props.session.pages, props.initial ?? []);
  createEffect(() => {
    const last = props.session.lastPage;
    void view.messages().length;
    const messages = view.pages(last);
    if (messages !== undefined && view.loaded()) props.onShown?.([{ doc: last, messages, present: true }]);
  });
  const [quote, setQuote] = createSignal<MessageView>();
  const [atBottom, setAtBottom] = createSignal(true);
  const read = createReadTracker({
    session: () => props.session.id,
    unread: () => props.unread,
    visible: () => props.visible !== false,
    atBottom,
    markRead: (session) => void ctx.ws.api.markRead({ channelDoc: props.channelDoc, session: session as SessionId }),
  });

  const send = async (text: string, files: File[]): Promise<boolean> => {
    let media: MediaInput[] | undefined;
    if (files.length > 0) {
      const up = await uploadAll(ctx.ws.api, files);
      if (!up.ok) {
        ctx.notify(up.message);
        return false;
      }
      media = up.media;
    }
    const q = quote();
    const r = await ctx.ws.api.sendMessage({
      channelDoc: props.channelDoc,
      session: props.session.id,
      text,
      ...(q ? { replyTo: q.id } : {}),
      ...(media ? { media } : {}),
    });
    if (!r.ok) ctx.notify(r.message);
    else setQuote(undefined);
    return r.ok;
  };
  const stop = (s: StreamView): void => void ctx.ws.api.stopReply({ doc: s.doc, message: s.message, run: s.run }).then((r) => !r.ok && ctx.notify(r.message));

  return (
    <section class="chat" aria-label={`Chat: ${props.session.title}`}>
      <Show
        when={view.messages().length > 0 || !view.loaded()}
        fallback={
          <div class="empty">
            <h3>Start the conversation</h3>
            <p>
              Messages in #{props.channelName} go to {props.agentName}. Try <code>/help</code> to see what it can do.
            </p>
          </div>
        }
      >
        <MessageList
          messages={view.messages()}
          streams={view.streams()}
          docOf={view.docOf}
          sync={ctx.ws.status()}
          agentName={props.agentName}
          agentOnline={props.agentOnline}
          label={`Messages in ${props.session.title}`}
          onQuote={setQuote}
          onStop={stop}
          unreadFrom={read.divider()}
          onAtBottom={setAtBottom}
        />
      </Show>
      <Composer
        placeholder={`Message #${props.channelName}`}
        quote={quote()}
        onClearQuote={() => setQuote(undefined)}
        onSend={send}
        commands={slash.commands()}
        frequent={slash.frequent()}
        autofocus
        notice={props.agentOnline === false ? `${props.agentName} is offline: messages wait here until it connects, then it answers them.` : undefined}
      />
    </section>
  );
}
