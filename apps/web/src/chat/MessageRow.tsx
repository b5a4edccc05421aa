import type { MessageView, ModelId } from "@botschat/model";
import { createSignal, ErrorBoundary, type JSX, Show } from "solid-js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { EngineStatus } from "../shared/views.js";
import { Icon } from "../ui/Icon.js";
import { Menu, type MenuItem } from "../ui/Menu.js";
import { ActionBlocks } from "./ActionBlocks.js";
import type { GroupedMessage } from "./groupMessages.js";
import { Markdown } from "./Markdown.js";
import { MediaList } from "./MediaList.js";
import { MessageEditor } from "./MessageEditor.js";
import { MessageSheet, type SheetAction, tapOwnsTarget } from "./MessageSheet.js";
import type { ShownMessage } from "./shownVersions.js";
import { statusLabel } from "./statusLabel.js";
import { VersionPicker } from "./VersionPicker.js";

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
 * a status line on a person's messages; "Reply in thread", quote and copy on hover or focus,
 * with "Edit" on a person's message and "Regenerate" (maybe with another model) on an answer;
 * "‹ 1/2 ›" on a message with versions.
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
  /** Shows another version of a message on this device (undefined: the latest). */
  onShowVersion?: (root: string, version: string | undefined) => void;
}): JSX.Element {
  const ctx = useWorkspace();
  const m = (): ShownMessage => props.row.message;
  const name = (): string => ctx.senderName(m());
  const status = (): ReturnType<typeof statusLabel> => statusLabel(m(), props.sync, props.doc, props.waitingFor);
  const op = (p: Promise<{ ok: boolean; message?: string }>): void =>
    void p.then((r) => {
      if (!r.ok) ctx.notify(r.message ?? "That did not work.");
    });
  const copy = (): void => void navigator.clipboard?.writeText(m().text).then(() => ctx.notify("Copied"));
  // On a message with versions, the shown version's record is the one to retry.
  const retry = (): void => op(ctx.ws.api.retryMessage({ doc: props.doc as never, message: (m().shown?.ask ?? m().id) as never }));
  const [editing, setEditing] = createSignal(false);
  const [regenerateMenu, setRegenerateMenu] = createSignal(false);
  const canEdit = (): boolean => m().role === "user" && m().answers === undefined;
  const canRegenerate = (): boolean => m().role === "agent" && m().replyTo !== undefined && m().run !== undefined;
  /** The models the answering gateway offers, other than the one this answer came from. */
  const otherModels = (): { id: ModelId; name: string }[] =>
    (ctx.gateways().find((g) => g.id === m().gateway)?.models ?? []).filter((x) => x.id !== m().model).map((x) => ({ id: x.id, name: x.name ?? x.id }));
  const latest = (): void => props.onShowVersion?.(m().shown?.root ?? (m().role === "user" ? m().id : (m().replyTo ?? m().id)), undefined);
  const regenerate = (model?: ModelId): void => {
    latest();
    op(ctx.ws.api.regenerateReply({ doc: props.doc as never, message: m().id, ...(model === undefined ? {} : { model }) }));
  };
  const saveEdit = (text: string): void => {
    setEditing(false);
    latest();
    op(ctx.ws.api.editMessage({ doc: props.doc as never, message: (m().shown?.root ?? m().id) as never, text }));
  };
  const regenerateItems = (): MenuItem[] => [
    { label: "Regenerate", run: () => regenerate() },
    ...otherModels().map((x, i) => ({
      label: x.name,
      name: `Regenerate with ${x.name}`,
      ...(i === 0 ? { heading: "Another model" } : {}),
      run: () => regenerate(x.id),
    })),
  ];
  const showVersion = (index: number): void => {
    const shown = m().shown;
    if (shown !== undefined) props.onShowVersion?.(shown.root, shown.ids[index]);
  };
  const picker = (): boolean => {
    const shown = m().shown;
    return shown !== undefined && shown.ids.length > 1 && (m().role === "agent" || shown.edited);
  };
  // Touch screens have no hover to show the toolbar on: a tap or a long press on the message
  // itself (not on a link, a button or media in it) opens its actions as a sheet.
  const [sheet, setSheet] = createSignal(false);
  let touch = false;
  const sheetActions = (): SheetAction[] => [
    ...(props.inThread ? [] : [{ label: "Reply in thread", run: () => ctx.openThread(props.doc, m()) }]),
    { label: "Quote", run: () => props.onQuote(m()) },
    { label: "Copy", run: copy },
    ...(canEdit() ? [{ label: "Edit", run: () => setEditing(true) }] : []),
    ...(canRegenerate()
      ? [{ label: "Regenerate", run: () => regenerate() }, ...otherModels().map((x) => ({ label: `Regenerate with ${x.name}`, run: () => regenerate(x.id) }))]
      : []),
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
        classList={{ first: props.row.first, editing: editing() }}
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
          <Show when={editing()} fallback={<Show when={m().text}>{(text) => <Markdown text={text()} />}</Show>}>
            <MessageEditor text={m().text} onSave={saveEdit} onCancel={() => setEditing(false)} />
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
                ctx.ws.api.chooseAction({ doc: props.doc as never, message: m().id, block, value, ...(label ? { label } : {}) }).then((r) => {
                  if (!r.ok) ctx.notify(r.message ?? "That did not work.");
                  return r.ok;
                })
              }
            />
          </Show>
          <Show when={(!props.inThread && (m().thread?.replies ?? 0) > 0) || status() || picker()}>
            <div class="msg-foot">
              <Show when={picker()}>
                <VersionPicker index={m().shown!.index} count={m().shown!.ids.length} onShow={showVersion} />
              </Show>
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
          <Show when={canEdit()}>
            <button type="button" class="icon-btn" aria-label="Edit message" title="Edit" onClick={() => setEditing(true)}>
              <Icon name="edit" />
            </button>
          </Show>
          <Show when={canRegenerate()}>
            <button
              type="button"
              class="icon-btn"
              aria-label="Regenerate"
              title="Regenerate"
              aria-haspopup="menu"
              aria-expanded={regenerateMenu()}
              onClick={() => setRegenerateMenu((v) => !v)}
            >
              <Icon name="regenerate" />
            </button>
            <Show when={regenerateMenu()}>
              <Menu label="Regenerate" style={{ top: "100%", right: "0" }} items={regenerateItems()} onClose={() => setRegenerateMenu(false)} />
            </Show>
          </Show>
        </div>
      </article>
    </>
  );
}
