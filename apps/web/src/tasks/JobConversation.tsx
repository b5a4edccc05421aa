import type { DocumentId, MessageView } from "@botschat/model";
import { createEffect, For, type JSX, Show } from "solid-js";
import { createMessagesView } from "../bridge/createViews.js";
import { Markdown } from "../chat/Markdown.js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { JobRow } from "../shared/views.js";
import { Dialog } from "../ui/Dialog.js";
import { whenIn } from "./timeWords.js";

/**
 * A job's conversation, read-only: the page of the task's session that holds it (each run is the
 * prompt and the agent's answer, so earlier runs are around it), scrolled to this run, which is
 * marked.
 */
export function JobConversation(props: { job: JobRow; taskName: string; onClose: () => void }): JSX.Element {
  const ctx = useWorkspace();
  const view = createMessagesView(ctx.ws, () => (props.job.session === undefined ? [] : [props.job.session as DocumentId]));
  const end = (): number => props.job.finishedAt ?? Number.MAX_SAFE_INTEGER;
  const ofThisRun = (m: MessageView): boolean => m.createdAt >= props.job.startedAt && m.createdAt <= end();
  let list!: HTMLOListElement;
  createEffect(() => {
    if (view.messages().length === 0) return;
    requestAnimationFrame(() => list.querySelector(".this-run")?.scrollIntoView({ block: "start" }));
  });
  return (
    <Dialog title={`${props.taskName}: run of ${whenIn(props.job.startedAt)}`} wide onClose={props.onClose}>
      <Show when={view.loaded()} fallback={<p class="hint">Loading the conversation…</p>}>
        <ol class="conversation" aria-label="Conversation" ref={(el) => (list = el)}>
          <For each={view.messages()} fallback={<li class="hint">This conversation is not on this device yet.</li>}>
            {(m) => (
              <li class="conv-msg" classList={{ "this-run": ofThisRun(m) }}>
                <div class="msg-head">
                  <span class="name">{m.role === "system" ? "Prompt" : ctx.senderName(m)}</span>
                  <time dateTime={new Date(m.createdAt).toISOString()}>{whenIn(m.createdAt, undefined, { seconds: true })}</time>
                </div>
                <Markdown text={m.text} />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
