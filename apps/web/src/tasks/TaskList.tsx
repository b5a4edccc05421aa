import { describeSchedule } from "@botschat/model/schedule";
import { For, type JSX, Show } from "solid-js";
import type { TaskSummary, TasksView } from "../shared/views.js";
import { Icon } from "../ui/Icon.js";
import { EnabledSwitch } from "./EnabledSwitch.js";
import { applyState, bySeconds, nextRunOf } from "./taskState.js";
import { fromNow, whenIn } from "./timeWords.js";

/**
 * A channel's background tasks: per task its name, schedule in words, the Enabled switch, the last
 * job's result and time, the next run, and whether its gateway applied the latest edit.
 */
export function TaskList(props: {
  view: TasksView | undefined;
  agentName: string;
  gatewayOnline: boolean;
  /** Re-read every minute by the caller, so "next run" and "ago" stay true. */
  now: number;
  onOpen: (t: TaskSummary) => void;
  onNew: () => void;
  onEnable: (t: TaskSummary, on: boolean) => Promise<boolean>;
}): JSX.Element {
  const tasks = (): TaskSummary[] => props.view?.tasks ?? [];
  return (
    <section class="tasks" aria-labelledby="tasks-title">
      <div class="tasks-head">
        <div>
          <h3 id="tasks-title">Background tasks</h3>
          <p class="hint">Prompts {props.agentName} runs on a schedule. Each run is a job, with its output.</p>
        </div>
        <button type="button" class="btn primary" onClick={() => props.onNew()}>
          <Icon name="plus" /> New task
        </button>
      </div>
      <Show when={props.view !== undefined} fallback={<p class="hint tasks-loading">Loading tasks…</p>}>
        <Show
          when={tasks().length > 0}
          fallback={
            <div class="empty">
              <h3>{props.view?.missing ? "This channel is still arriving…" : "No tasks yet"}</h3>
              <p>
                A task runs a prompt on a schedule, for example a morning digest every weekday at 08:00. Make one with <b>New task</b>; it works offline too and
                starts once the gateway sees it.
              </p>
            </div>
          }
        >
          <ul class="task-list" aria-label="Tasks">
            <For each={tasks()}>
              {(t) => <TaskRow summary={t} gatewayOnline={props.gatewayOnline} now={props.now} onOpen={props.onOpen} onEnable={props.onEnable} />}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}

function TaskRow(props: {
  summary: TaskSummary;
  gatewayOnline: boolean;
  now: number;
  onOpen: (t: TaskSummary) => void;
  onEnable: (t: TaskSummary, on: boolean) => Promise<boolean>;
}): JSX.Element {
  const task = () => props.summary.task;
  const last = () => props.summary.lastJob;
  const next = (): number | undefined => {
    const t = task();
    return t === undefined ? undefined : nextRunOf(t, props.now);
  };
  return (
    <li class="task-row" classList={{ failing: last()?.status === "error" }}>
      <Show
        when={task()}
        fallback={
          <div class="task-main">
            <span class="task-name hint">A task still arriving…</span>
          </div>
        }
      >
        {(t) => {
          const state = () => applyState(t(), props.gatewayOnline);
          return (
            <>
              <div class="task-main">
                <button type="button" class="task-name link-btn" onClick={() => props.onOpen(props.summary)}>
                  {t().name}
                </button>
                <div class="task-schedule">
                  {describeSchedule(t().schedule, t().timezone)}
                  <Show when={next()}>
                    {(n) => (
                      <span class="hint">
                        {" "}
                        · next {whenIn(n(), t().timezone, { now: props.now, seconds: bySeconds(t().schedule), inSentence: true })}{" "}
                        <span class="nowrap">({fromNow(n(), props.now)})</span>
                      </span>
                    )}
                  </Show>
                </div>
                <div class="task-meta">
                  <Show when={last()} fallback={<span class="hint">No runs yet</span>}>
                    {(j) => (
                      <span class="task-last">
                        <span class={`job-status ${j().status}`}>{j().status}</span>
                        <span class="hint">
                          {" "}
                          {whenIn(j().startedAt, undefined, { now: props.now })}
                          <Show when={j().status === "error" && j().error}> · {j().error}</Show>
                          <Show when={j().status !== "error" && j().summary}> · {j().summary}</Show>
                        </span>
                      </span>
                    )}
                  </Show>
                  <span class="task-apply" classList={{ err: state().tone === "err" }}>
                    <span class={`dot ${state().tone}`} aria-hidden="true" />
                    {state().label}
                  </span>
                </div>
              </div>
              <EnabledSwitch checked={t().enabled} label={`Enabled: ${t().name}`} onChange={(on) => props.onEnable(props.summary, on)} />
            </>
          );
        }}
      </Show>
    </li>
  );
}
