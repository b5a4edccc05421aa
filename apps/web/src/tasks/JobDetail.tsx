import { createEffect, type JSX, Match, on, Show, Switch } from "solid-js";
import { createJobView } from "../bridge/createTaskViews.js";
import { Markdown } from "../chat/Markdown.js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { JobRow, JobStreamView } from "../shared/views.js";

/** A job opened in the history: its output (live while it runs, then the final one as markdown), its error, its conversation. */
export function JobDetail(props: { job: JobRow; stream: JobStreamView | undefined; onConversation: () => void }): JSX.Element {
  const ctx = useWorkspace();
  const detail = createJobView(ctx.ws, () => ({ doc: props.job.doc, job: props.job.id }));
  const job = () => detail.view()?.job;
  const live = (): JobStreamView | undefined => detail.stream() ?? props.stream;
  const status = (): string => job()?.status ?? props.job.status;
  return (
    <div class="job-detail">
      <Switch>
        <Match when={status() === "running"}>
          <Show when={live()?.text} fallback={<p class="hint">Running — the output shows here as the agent writes it.</p>}>
            <FollowingOutput text={live()!.text} />
          </Show>
        </Match>
        <Match when={status() === "error"}>
          <div class="job-error" role="note" aria-label="Error">
            {job()?.error ?? props.job.error ?? "The run failed without saying why."}
          </div>
          <Show when={job()?.output}>
            <div class="job-output" aria-label="Output">
              <Markdown text={job()!.output!} />
            </div>
          </Show>
        </Match>
        <Match when={status() === "skipped"}>
          <p class="hint">{job()?.summary ?? "Skipped."}</p>
        </Match>
        <Match when={job()?.output}>
          <div class="job-output" aria-label="Output">
            <Markdown text={job()!.output!} />
          </div>
        </Match>
        <Match when={detail.view() !== undefined}>
          <p class="hint">{job()?.summary ?? "This run left no output."}</p>
        </Match>
      </Switch>
      <Show when={job()?.session}>
        <button type="button" class="btn small" onClick={() => props.onConversation()}>
          Open conversation
        </button>
      </Show>
    </div>
  );
}

/** A running job's output, kept scrolled to its newest words unless the reader scrolled up. */
function FollowingOutput(props: { text: string }): JSX.Element {
  let box!: HTMLDivElement;
  let following = true;
  createEffect(
    on(
      () => props.text,
      () => following && requestAnimationFrame(() => (box.scrollTop = box.scrollHeight)),
    ),
  );
  return (
    <div
      class="job-output"
      aria-label="Output"
      aria-live="off"
      ref={(el) => (box = el)}
      onScroll={() => (following = box.scrollTop + box.clientHeight >= box.scrollHeight - 24)}
    >
      <Markdown text={props.text} streaming />
    </div>
  );
}
