import type { DocumentId, GatewayView, ModelId, TaskView } from "@botschat/model";
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import { createTaskView } from "../bridge/createTaskViews.js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import type { CachedView } from "../bridge/viewCache.js";
import type { JobRow } from "../shared/views.js";
import { ConfirmDialog } from "../ui/Dialog.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { Icon } from "../ui/Icon.js";
import { createTaskDraft, type TaskFieldValues } from "./createTaskDraft.js";
import { EnabledSwitch } from "./EnabledSwitch.js";
import { JobConversation } from "./JobConversation.js";
import { JobList } from "./JobList.js";
import { DEFAULT_SCHEDULE } from "./scheduleForm.js";
import { ScheduleEditor, scheduleProblem } from "./ScheduleEditor.js";
import { applyState, bySeconds, nextRunOf } from "./taskState.js";
import { browserTimeZone, fromNow, timeZones, whenIn } from "./timeWords.js";

/** A task page as the warm-start cache keeps it. */
export type CachedTaskPage = NonNullable<CachedView["task"]>;

/**
 * One task: its name, prompt, schedule, time zone and model (Save, or Ctrl/Cmd+Enter), the Enabled
 * switch and Run now (at once), Delete, and its jobs. With no `taskDoc` it is a new, empty task
 * (Save creates it, enabled or not as the switch says).
 */
export function TaskPage(props: {
  channelDoc: DocumentId;
  taskDoc: DocumentId | undefined;
  gateway: GatewayView | undefined;
  gatewayOnline: boolean;
  now: number;
  onBack: () => void;
  onCreated: (doc: DocumentId) => void;
  /** This page as it was last cached, drawn until the live views come. */
  cached?: CachedTaskPage | undefined;
  /** The page as shown (the task and its newest jobs), whenever it changes: for the warm-start cache. */
  onShown?: (shown: CachedTaskPage) => void;
}): JSX.Element {
  const ctx = useWorkspace();
  const cached = (): CachedTaskPage | undefined => (props.cached?.page.doc === props.taskDoc ? props.cached : undefined);
  const page = createTaskView(ctx.ws, () => props.taskDoc, cached()?.page);
  const task = (): TaskView | undefined => page()?.task;
  const isNew = (): boolean => props.taskDoc === undefined;
  const tz = browserTimeZone();
  const draft = createTaskDraft(task, { name: "", prompt: "", schedule: DEFAULT_SCHEDULE, timezone: tz, model: "" });
  const [enabledNew, setEnabledNew] = createSignal(true);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [conversation, setConversation] = createSignal<JobRow>();
  /** On one column (a phone), the page shows its jobs or its settings, one at a time. */
  const [pane, setPane] = createSignal<"jobs" | "settings">("jobs");
  const zones = createMemo(() => timeZones(draft.values.timezone || tz));
  const anchor = (): number => task()?.createdAt ?? props.now;
  const problem = (): string | undefined => {
    if (draft.values.name.trim() === "") return "a task needs a name";
    const s = scheduleProblem(draft.values.schedule);
    return s === undefined ? undefined : `the schedule is not valid: ${s}`;
  };
  const changed = (): boolean => isNew() || Object.keys(draft.changes()).length > 0;
  const result = (r: { ok: boolean; message?: string }): boolean => {
    if (!r.ok) setError(r.message ?? "That did not work.");
    return r.ok;
  };

  const save = async (): Promise<void> => {
    if (busy() || problem() !== undefined || !changed()) return;
    setError(undefined);
    setBusy(true);
    try {
      const v: TaskFieldValues = { ...draft.values };
      if (isNew()) {
        const r = await ctx.ws.api.createTask({
          channelDoc: props.channelDoc,
          name: v.name.trim(),
          schedule: v.schedule.trim(),
          timezone: v.timezone,
          prompt: v.prompt,
          enabled: enabledNew(),
          ...(v.model ? { model: v.model as ModelId } : {}),
        });
        if (result(r) && r.ok) {
          draft.saved();
          props.onCreated(r.value.doc);
        }
        return;
      }
      const c = draft.changes();
      const base = draft.base();
      const r = await ctx.ws.api.editTask({
        taskDoc: props.taskDoc!,
        ...(c.name !== undefined ? { name: c.name.trim() } : {}),
        ...(c.schedule !== undefined ? { schedule: c.schedule.trim() } : {}),
        ...(c.timezone !== undefined ? { timezone: c.timezone } : {}),
        ...(c.prompt !== undefined ? { prompt: c.prompt, ...(base ? { base } : {}) } : {}),
        ...(c.model !== undefined ? { model: c.model === "" ? null : (c.model as ModelId) } : {}),
      });
      if (result(r)) {
        draft.saved();
        ctx.notify("Saved");
      }
    } finally {
      setBusy(false);
    }
  };

  const enable = async (on: boolean): Promise<boolean> => {
    if (isNew()) {
      setEnabledNew(on);
      return true;
    }
    return result(await ctx.ws.api.setTaskEnabled({ taskDoc: props.taskDoc!, enabled: on }));
  };
  const runNow = (): void => {
    void ctx.ws.api
      .runTaskNow({ taskDoc: props.taskDoc! })
      .then((r) => result(r) && ctx.notify(props.gatewayOnline ? "Run requested" : "Run requested: it starts when the gateway is back"));
  };

  const title = (): string => (isNew() ? "New task" : (task()?.name ?? "Task"));
  const next = (): number | undefined => {
    const t = task();
    return t === undefined ? undefined : nextRunOf(t, props.now);
  };

  return (
    <section class="task-page" aria-labelledby="task-title">
      <div class="task-bar">
        <button type="button" class="btn ghost small back" onClick={() => props.onBack()}>
          <Icon name="back" /> Tasks
        </button>
        <h3 id="task-title">{title()}</h3>
        <span class="spacer" />
        <label class="switch-field">
          <EnabledSwitch checked={isNew() ? enabledNew() : (task()?.enabled ?? false)} disabled={!isNew() && task() === undefined} onChange={enable} />
          <span aria-hidden="true">Enabled</span>
        </label>
        <Show when={!isNew()}>
          <button type="button" class="btn small" disabled={task() === undefined || task()?.deleted !== undefined} onClick={runNow}>
            <Icon name="play" /> Run now
          </button>
        </Show>
      </div>

      <Show when={!isNew() && page() !== undefined && task() === undefined}>
        <div class="empty">
          <h3>This task is not here</h3>
          <p>It was deleted, or it has not reached this device yet.</p>
        </div>
      </Show>

      <Show when={isNew() || task() !== undefined}>
        <Show when={task()}>
          {(t) => {
            const state = () => applyState(t(), props.gatewayOnline);
            return (
              <div class="task-status" role="status">
                <span class="status-pill" classList={{ err: state().tone === "err" }}>
                  <span class={`dot ${state().tone}`} aria-hidden="true" />
                  {state().label}
                </span>
                <Show when={next()}>
                  {(n) => (
                    <span class="hint">
                      Next run {whenIn(n(), t().timezone, { now: props.now, seconds: bySeconds(t().schedule), inSentence: true })} ({fromNow(n(), props.now)})
                    </span>
                  )}
                </Show>
                <Show when={t().pendingRuns > 0}>
                  <span class="hint">Run now requested{props.gatewayOnline ? "" : ": it starts when the gateway is back"}</span>
                </Show>
              </div>
            );
          }}
        </Show>
        <Show when={!isNew()}>
          <div class="pane-switch" role="group" aria-label="Show">
            <button type="button" aria-pressed={pane() === "jobs"} onClick={() => setPane("jobs")}>
              Jobs
            </button>
            <button type="button" aria-pressed={pane() === "settings"} onClick={() => setPane("settings")}>
              Settings
            </button>
          </div>
        </Show>
        <div class="task-columns">
          <form
            class="task-form"
            classList={{ "pane-off": !isNew() && pane() !== "settings" }}
            aria-label="Task"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void save();
              }
            }}
          >
            <label class="field">
              <span>Name</span>
              <input
                class="input"
                required
                maxLength={80}
                value={draft.values.name}
                onInput={(e) => draft.set("name", e.currentTarget.value)}
                placeholder="Morning digest"
              />
            </label>
            <label class="field">
              <span>Prompt</span>
              <textarea
                class="input prompt"
                rows={5}
                value={draft.values.prompt}
                onInput={(e) => draft.set("prompt", e.currentTarget.value)}
                placeholder="Summarise what happened overnight in three bullet points."
              />
            </label>
            <ScheduleEditor
              schedule={draft.values.schedule}
              timezone={draft.values.timezone}
              anchor={anchor()}
              now={props.now}
              paused={isNew() ? !enabledNew() : task()?.enabled === false}
              zones={zones()}
              onSchedule={(s) => draft.set("schedule", s)}
              onTimezone={(z) => draft.set("timezone", z)}
            />
            <label class="field">
              <span>Model</span>
              <select class="input" aria-label="Model" value={draft.values.model} onChange={(e) => draft.set("model", e.currentTarget.value)}>
                <option value="">Default model{props.gateway?.defaultModel ? ` (${props.gateway.defaultModel})` : ""}</option>
                <For each={props.gateway?.models ?? []}>{(m) => <option value={m.id}>{m.name ?? m.id}</option>}</For>
                <Show when={draft.values.model && !(props.gateway?.models ?? []).some((m) => m.id === draft.values.model)}>
                  <option value={draft.values.model}>{draft.values.model}</option>
                </Show>
              </select>
            </label>
            <Show when={draft.changedElsewhere()}>
              <p class="warning">
                Someone changed this task on another device while you were editing. Save keeps your changes; edits to the prompt are merged.
              </p>
            </Show>
            <ErrorNote message={error()} />
            <div class="form-actions">
              <button type="submit" class="btn primary" disabled={busy() || problem() !== undefined || !changed()} title={problem() ?? "Save (Ctrl+Enter)"}>
                Save
              </button>
              <Show when={!isNew() && changed()}>
                <button type="button" class="btn ghost" onClick={() => draft.discard()}>
                  Discard changes
                </button>
              </Show>
              <Show when={isNew()}>
                <button type="button" class="btn ghost" onClick={() => props.onBack()}>
                  Cancel
                </button>
              </Show>
              <span class="spacer" />
              <Show when={!isNew()}>
                <button type="button" class="btn ghost danger-text" onClick={() => setConfirmDelete(true)}>
                  Delete task
                </button>
              </Show>
            </div>
            <Show when={problem() !== undefined && draft.values.name.trim() !== ""}>
              <p class="hint">Save is off: {problem()}.</p>
            </Show>
          </form>
          {/* Not waiting for the task: its jobs load beside it. */}
          <Show when={!isNew() && (page() === undefined || task() !== undefined)}>
            <div class="jobs-pane" classList={{ "pane-off": pane() !== "jobs" }}>
              <JobList
                taskDoc={props.taskDoc!}
                now={props.now}
                onConversation={setConversation}
                initial={cached()?.jobs}
                onShown={(jobs) => {
                  const p = page();
                  if (p !== undefined && p !== cached()?.page) props.onShown?.({ page: p, jobs });
                }}
              />
            </div>
          </Show>
        </div>
      </Show>

      <Show when={confirmDelete()}>
        <ConfirmDialog
          title={`Delete task “${task()?.name ?? ""}”?`}
          message="It stops running and is deleted on every device, with its job history. This cannot be undone. To stop it for a while, switch it off instead."
          confirmLabel="Delete"
          danger
          onClose={() => setConfirmDelete(false)}
          onConfirm={() =>
            void ctx.ws.api.deleteTask({ taskDoc: props.taskDoc! }).then((r) => {
              if (result(r)) props.onBack();
            })
          }
        />
      </Show>
      <Show when={conversation()}>{(j) => <JobConversation job={j()} taskName={task()?.name ?? "Task"} onClose={() => setConversation(undefined)} />}</Show>
    </section>
  );
}
