import { Cron } from "croner";
import { parseSchedule, type ModelId, type TaskId } from "@botschat/model";
import type { ScheduledTask, Scheduler, SchedulerRunEvent } from "./Scheduler.js";

/** How the demo scheduler runs a task's prompt (the demo agent wires its backend in). */
export type TaskExecutor = (
  task: ScheduledTask,
  run: { runId: string; signal: AbortSignal; onOutput: (text: string) => void },
) => Promise<{ status?: "ok" | "error" | "skipped"; summary?: string; output: string; model?: ModelId }>;

interface Entry {
  task: ScheduledTask;
  cron: Cron;
}

/**
 * A real in-process {@link Scheduler} on croner: `every <n><s|m|h|d>` (a one-second pattern with
 * a minimum interval), `at HH:MM` daily and `cron <expr>`, both in the task's time zone. A tick
 * that comes while the task's previous run is still going is recorded as a `skipped` run.
 * Schedules live in memory: the peer core re-applies every task after a restart.
 */
export class DemoScheduler implements Scheduler {
  private readonly entries = new Map<TaskId, Entry>();
  private readonly running = new Map<TaskId, { abort: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(e: SchedulerRunEvent) => void>();
  private closed = false;

  constructor(private readonly execute: TaskExecutor) {}

  upsert(task: ScheduledTask): Promise<{ jobId: string }> {
    const parsed = parseSchedule(task.schedule);
    if (!parsed.ok) return Promise.reject(new Error(parsed.message));
    const s = parsed.schedule;
    const pattern = s.kind === "every" ? "* * * * * *" : s.kind === "at" ? `0 ${s.minute} ${s.hour} * * *` : s.expr;
    let cron: Cron;
    try {
      cron = new Cron(
        pattern,
        {
          paused: !task.enabled,
          ...(s.kind === "every" ? { interval: Math.max(1, Math.round(s.ms / 1000)) } : { timezone: task.timezone }),
        },
        (self: Cron) => this.fire(task.id, `at:${wholeSecond(self.currentRun() ?? new Date())}`),
      );
    } catch (e) {
      return Promise.reject(new Error(`cannot schedule “${task.schedule}” in ${task.timezone}: ${e instanceof Error ? e.message : String(e)}`));
    }
    this.entries.get(task.id)?.cron.stop();
    this.entries.set(task.id, { task: { ...task }, cron });
    return Promise.resolve({ jobId: `demo:${task.id}` });
  }

  setEnabled(task: TaskId, enabled: boolean): Promise<boolean> {
    const e = this.entries.get(task);
    if (e === undefined) return Promise.resolve(false);
    e.task.enabled = enabled;
    if (enabled) e.cron.resume();
    else e.cron.pause();
    return Promise.resolve(true);
  }

  remove(task: TaskId): Promise<void> {
    this.entries.get(task)?.cron.stop();
    this.entries.delete(task);
    return Promise.resolve();
  }

  runNow(task: TaskId, runId: string): Promise<boolean> {
    if (!this.entries.has(task)) return Promise.resolve(false);
    this.fire(task, runId);
    return Promise.resolve(true);
  }

  onRun(listener: (event: SchedulerRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When a task next runs on its schedule (null: paused, unknown or never). */
  nextRun(task: TaskId): Date | null {
    const e = this.entries.get(task);
    return e === undefined || !e.task.enabled ? null : e.cron.nextRun();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.entries.values()) e.cron.stop();
    this.entries.clear();
    for (const r of this.running.values()) r.abort.abort(new Error("the scheduler stopped"));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private fire(taskId: TaskId, runId: string): void {
    const entry = this.entries.get(taskId);
    if (entry === undefined || this.closed) return;
    const task = { ...entry.task };
    if (this.running.has(taskId)) {
      const at = Date.now();
      this.emit({ type: "started", task: taskId, runId, at });
      this.emit({ type: "finished", task: taskId, runId, at, status: "skipped", summary: "The previous run was still going." });
      return;
    }
    const abort = new AbortController();
    const done = this.run(task, runId, abort.signal).finally(() => this.running.delete(taskId));
    this.running.set(taskId, { abort, done });
  }

  private async run(task: ScheduledTask, runId: string, signal: AbortSignal): Promise<void> {
    this.emit({ type: "started", task: task.id, runId, at: Date.now(), ...(task.model ? { model: task.model } : {}) });
    try {
      const r = await this.execute(task, { runId, signal, onOutput: (text) => this.emit({ type: "output", task: task.id, runId, text }) });
      this.emit({
        type: "finished",
        task: task.id,
        runId,
        at: Date.now(),
        status: r.status ?? "ok",
        output: r.output,
        ...(r.summary !== undefined ? { summary: r.summary } : {}),
        ...(r.model !== undefined ? { model: r.model } : {}),
      });
    } catch (e) {
      this.emit({ type: "finished", task: task.id, runId, at: Date.now(), status: "error", error: e instanceof Error ? e.message : String(e) });
    }
  }

  private emit(event: SchedulerRunEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own; the other listeners still hear the run.
      }
    }
  }
}

/** A tick's time to the nearest second, so two schedulers firing the same tick name it alike. */
function wholeSecond(d: Date): string {
  return new Date(Math.round(d.getTime() / 1000) * 1000).toISOString();
}
