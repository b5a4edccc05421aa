import type { MessageView } from "@botschat/model";
import { createSignal, ErrorBoundary, type JSX, Show } from "solid-js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { EngineStatus } from "../shared/views.js";
import { Icon } from "../ui/Icon.js";
import { ActionBlocks } from "./ActionBlocks.js";
import type { GroupedMessage } from "./groupMessages.js";
import { Markdown } from "./Markdown.js";
import { MediaList } from "./MediaList.js";
import { MessageSheet, type SheetAction, tapOwnsTarget } from "./MessageSheet.js";
import { statusLabel } from "./statusLabel.js";

// One formatter each, made once: `toLocaleTimeString` builds a new one on every call, which a
// screen of rows pays for in its first render.
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const clock24 = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });

/** A short clock time for a row. */
export function timeOf(ms: number): string {
  return clock.format(ms);
}

/** A 24-hour clock time for the narrow gutter of a grouped row. */
export function shortTimeOf(ms: number): string {
  return clock24.format(ms);
}

/** The letter(s) on a sender's avatar. */
export function initials(name: string): string {
  const parts = name
    .trim()
    .split(/[\s@._-]+/)
    .filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts[1]?.[0] ?? "")).toUpperCase();
}

/**
 * One message row, Slack-style: avatar, name and time on the first row of a group; the body as
 * markdown; reasoning and tools collapsed; attachments; action blocks; the thread summary;
 * a status line on a person's messages; "Reply in thread", quote and copy on hover or focus.
 */
export function MessageRow(props: {
  row: GroupedMessage;
  doc: string;
  sync: EngineStatus;
  /** The agent a waiting message waits for, while it is offline. */
  waitingFor?: string | undefined;
  quoted?: MessageView | undefined;
  inThread?: boolean;
  onQuote: (m: MessageView) => void;
}): JSX.Element {
  const ctx = useWorkspace();
  const m = (): MessageView => props.row.message;
  const name = (): string => ctx.senderName(m());
  const status = (): ReturnType<typeof statusLabel> => statusLabel(m(), props.sync, props.doc, props.waitingFor);
  const op = (p: Promise<{ ok: boolean; message?: string }>): void =>
    void p.then((r) => {
      if (!r.ok) ctx.notify(r.message ?? "That did not work.");
    });
  const copy = (): void => void navigator.clipboard?.writeText(m().text).then(() => ctx.notify("Copied"));
  const retry = (): void => op(ctx.ws.api.retryMessage({ doc: props.doc as never, message: m().id }));
  // Touch screens have no hover to show the toolbar on: a tap or a long press on the message
  // itself (not on a link, a button or media in it) opens its actions as a sheet.
  const [sheet, setSheet] = createSignal(false);
  let touch = false;
  const sheetActions = (): SheetAction[] => [
    ...(props.inThread ? [] : [{ label: "Reply in thread", run: () => ctx.openThread(props.doc, m()) }]),
    { label: "Quote", run: () => props.onQuote(m()) },
    { label: "Copy", run: copy },
    ...(status()?.retry === true ? [{ label: "Retry", run: retry }] : []),
  ];
  const openOnTouch = (e: MouseEvent): void => {
    if (!touch || tapOwnsTarget(e.target) || getSelection()?.toString()) return;
    e.preventDefault();
    setSheet(true);
  };
  return (
    <>
      <Show when={sheet()}>
        <MessageSheet about={`${name()}: ${m().text.slice(0, 80)}`} actions={sheetActions()} onClose={() => setSheet(false)} />
      </Show>
      <Show when={props.row.day}>
        <div class="day-sep" role="separator">
          {props.row.day}
        </div>
      </Show>
      <article
        class="msg"
        classList={{ first: props.row.first }}
        aria-label={`${name()} at ${timeOf(m().createdAt)}`}
        data-message-id={m().id}
        onPointerDown={(e) => (touch = e.pointerType === "touch")}
        onClick={openOnTouch}
        onContextMenu={openOnTouch}
      >
        <Show when={props.row.first} fallback={<div class="msg-gutter-time">{shortTimeOf(m().createdAt)}</div>}>
          <div class={`avatar ${m().role}`} aria-hidden="true">
            {initials(name())}
          </div>
        </Show>
        <div>
          <Show when={props.row.first}>
            <div class="msg-head">
              <span class="name">{name()}</span>
              <time dateTime={new Date(m().createdAt).toISOString()}>{timeOf(m().createdAt)}</time>
            </div>
          </Show>
          <Show when={props.quoted && m().role === "user"}>
            <div class="msg-quote">↪ {props.quoted!.text}</div>
          </Show>
          <Show when={m().reasoning}>
            <details class="activity">
              <summary>Reasoning</summary>
              <div class="activity-body">{m().reasoning}</div>
            </details>
          </Show>
          <Show when={(m().tools?.length ?? 0) > 0}>
            <details class="activity">
              <summary>
                Used {m().tools!.length} tool{m().tools!.length === 1 ? "" : "s"}
              </summary>
              <div class="activity-body">
                {m().tools!.map((t) => (
                  <div class="tool-line">
                    <b>{t.name}</b> {t.summary}
                  </div>
                ))}
              </div>
            </details>
          </Show>
          <Show when={m().text}>
            <Markdown text={m().text} />
          </Show>
          <Show when={(m().media?.length ?? 0) > 0}>
            <ErrorBoundary fallback={<div class="hint">The attachments cannot be shown.</div>}>
              <MediaList media={m().media!} />
            </ErrorBoundary>
          </Show>
          <Show when={(m().actions?.length ?? 0) > 0}>
            <ActionBlocks
              message={m()}
              onChoose={(block, value, label) =>
                op(ctx.ws.api.chooseAction({ doc: props.doc as never, message: m().id, block, value, ...(label ? { label } : {}) }))
              }
            />
          </Show>
          <Show when={(!props.inThread && (m().thread?.replies ?? 0) > 0) || status()}>
            <div class="msg-foot">
              <Show when={!props.inThread && (m().thread?.replies ?? 0) > 0}>
                <button type="button" class="thread-link" onClick={() => ctx.openThread(props.doc, m())}>
                  <Icon name="thread" />
                  {m().thread!.replies} {m().thread!.replies === 1 ? "reply" : "replies"}
                </button>
              </Show>
              <Show when={status()}>
                {(s) => (
                  <div class="msg-status" classList={{ error: s().tone === "error" }} aria-label={`Status: ${s().label}`}>
                    {s().label}
                    <Show when={s().retry}>
                      <button type="button" class="btn small" onClick={retry}>
                        Retry
                      </button>
                    </Show>
                  </div>
                )}
              </Show>
            </div>
          </Show>
        </div>
        <div class="msg-tools" role="toolbar" aria-label="Message actions">
          <Show when={!props.inThread}>
            <button type="button" class="icon-btn" aria-label="Reply in thread" title="Reply in thread" onClick={() => ctx.openThread(props.doc, m())}>
              <Icon name="thread" />
            </button>
          </Show>
          <button type="button" class="icon-btn" aria-label="Quote" title="Quote" onClick={() => props.onQuote(m())}>
            <Icon name="quote" />
          </button>
          <button type="button" class="icon-btn" aria-label="Copy message" title="Copy" onClick={copy}>
            <Icon name="copy" />
          </button>
        </div>
      </article>
    </>
  );
}
