import type { DocumentId, JobId } from "@botschat/model";
import { createEffect, createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js";
import { createJobsView } from "../bridge/createTaskViews.js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { JobRow, JobStreamView, JobsView } from "../shared/views.js";
import { JobDetail } from "./JobDetail.js";
import { duration, whenIn } from "./timeWords.js";

/** Jobs shown first; scrolling to the end of the list shows this many more each time. */
export const JOB_PAGE = 30;

/**
 * A task's jobs, newest first: status in words, start, duration, model and summary; a running
 * job's output as it streams. A job opens in place to its whole output (or error) and its
 * conversation. Older jobs load as the list is scrolled to its end, month by month.
 */
export function JobList(props: {
  taskDoc: DocumentId;
  now: number;
  onConversation: (job: JobRow) => void;
  /** A cached window to draw until the live one comes. */
  initial?: JobsView | undefined;
  /** The live window whenever it changes (for the warm-start cache; its newest log loads first on the next start). */
  onShown?: (view: JobsView) => void;
}): JSX.Element {
  const ctx = useWorkspace();
  const [limit, setLimit] = createSignal(JOB_PAGE);
  const [open, setOpen] = createSignal<JobId>();
  const jobs = createJobsView(ctx.ws, () => ({ taskDoc: props.taskDoc, limit: limit() }), props.initial);
  const rows = (): JobRow[] => jobs.view()?.jobs ?? [];
  createEffect(() => {
    const v = jobs.view();
    if (v !== undefined && v !== props.initial) props.onShown?.(v);
  });
  const more = (): void => {
    if (jobs.view()?.more === true && rows().length >= limit()) setLimit(limit() + JOB_PAGE * 2);
  };
  let end!: HTMLDivElement;
  onMount(() => {
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more(), { rootMargin: "400px" });
    seen.observe(end);
    onCleanup(() => seen.disconnect());
  });

  return (
    <section class="jobs" aria-labelledby="jobs-title">
      <h4 id="jobs-title">Jobs</h4>
      <Show when={jobs.view() !== undefined} fallback={<p class="hint">Loading jobs…</p>}>
        <Show when={rows().length > 0} fallback={<p class="hint">No jobs yet. Each run of the task shows here, with its output; Run now starts one.</p>}>
          <ul class="job-list" aria-label="Jobs">
            <For each={rows()}>
              {(j) => (
                <JobItem
                  job={j}
                  stream={jobs.streams().get(j.id)}
                  open={open() === j.id}
                  now={props.now}
                  onToggle={() => setOpen(open() === j.id ? undefined : j.id)}
                  onConversation={() => props.onConversation(j)}
                />
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <div ref={(el) => (end = el)} class="jobs-end">
        <Show when={jobs.view()?.more}>
          <button type="button" class="btn small" onClick={() => setLimit(limit() + JOB_PAGE * 2)}>
            Show older jobs
          </button>
        </Show>
      </div>
    </section>
  );
}

function JobItem(props: {
  job: JobRow;
  stream: JobStreamView | undefined;
  open: boolean;
  now: number;
  onToggle: () => void;
  onConversation: () => void;
}): JSX.Element {
  const j = (): JobRow => props.job;
  const running = (): boolean => j().status === "running";
  // A running job's time so far, once there is some (the clock ticks each second, a tick may start a moment before it).
  const took = (): number | undefined => j().durationMs ?? (running() && props.now - j().startedAt >= 1000 ? props.now - j().startedAt : undefined);
  const tail = (): string => {
    const text = props.stream?.text.trim() ?? "";
    const lines = text.split("\n").filter((l) => l.trim().length > 0);
    return (
      lines
        .at(-1)
        ?.replace(/[#>*_`|]/g, "")
        .trim() ?? ""
    );
  };
  const detailId = `job-${j().id}`;
  return (
    <li class="job" classList={{ open: props.open, [j().status]: true }}>
      {/* Spaces between the parts: the row reads (and is found) as "ok Today 09:00:00 3 s …", not "okToday". */}
      <button type="button" class="job-head" aria-expanded={props.open} aria-controls={detailId} onClick={() => props.onToggle()}>
        <span class={`job-status ${j().status}`}>{j().status}</span>{" "}
        <span class="job-when">{whenIn(j().startedAt, undefined, { seconds: true, now: props.now })}</span>{" "}
        <Show when={took() !== undefined}>
          <span class="hint job-took">{duration(took()!)}</span>{" "}
        </Show>
        <Show when={j().request}>
          <span class="trigger">run now</span>{" "}
        </Show>
        <Show when={j().model}>
          <span class="hint job-model">{j().model}</span>{" "}
        </Show>
        <span class="job-summary">
          <Show when={running()} fallback={j().status === "error" ? (j().error ?? "Failed") : (j().summary ?? "")}>
            {tail() || "Running…"}
          </Show>
        </span>
      </button>
      <Show when={props.open}>
        <div id={detailId} class="job-body">
          <JobDetail job={j()} stream={props.stream} onConversation={props.onConversation} />
        </div>
      </Show>
    </li>
  );
}
