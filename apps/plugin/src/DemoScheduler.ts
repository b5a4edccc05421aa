import { Cron } from "croner";
import { cronPatternOf, nextEveryTick, parseSchedule, type ModelId, type TaskId } from "@botschat/model";
import type { RunGate, ScheduledTask, Scheduler, SchedulerRunEvent } from "./Scheduler.js";

/** How the demo scheduler runs a task's prompt (the demo agent wires its backend in). */
export type TaskExecutor = (
  task: ScheduledTask,
  run: { runId: string; signal: AbortSignal; onOutput: (text: string) => void },
) => Promise<{ status?: "ok" | "error" | "skipped"; summary?: string; output: string; model?: ModelId }>;

/** What drives one task's ticks: a croner job, or an {@link EveryTicker}. */
interface Ticker {
  stop(): void;
  pause(): void;
  resume(): void;
  nextRun(): Date | null;
}

interface Entry {
  task: ScheduledTask;
  ticker: Ticker;
}

/**
 * A real in-process {@link Scheduler}: `every <n><s|m|h|d>` at whole intervals from the task's
 * `anchor` (so two instances fire the same ticks, and the first comes one interval after the
 * task was created), `at HH:MM` daily and `cron <expr>` on croner, in the task's time zone. A
 * tick that comes while the task's previous run is still going is recorded as a `skipped` run.
 * Every run passes the peer core's gate ({@link Scheduler.setRunGate}) first. Schedules live in
 * memory: the peer core re-applies every task after a restart.
 */
export class DemoScheduler implements Scheduler {
  private readonly entries = new Map<TaskId, Entry>();
  private readonly running = new Map<TaskId, { runId: string; abort: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(e: SchedulerRunEvent) => void>();
  /** Runs waiting for the gate: `close` waits for them too. */
  private readonly gating = new Set<Promise<void>>();
  private gate: RunGate | undefined;
  private closed = false;

  constructor(private readonly execute: TaskExecutor) {}

  upsert(task: ScheduledTask): Promise<{ jobId: string }> {
    const parsed = parseSchedule(task.schedule);
    if (!parsed.ok) return Promise.reject(new Error(parsed.message));
    const s = parsed.schedule;
    let ticker: Ticker;
    if (s.kind === "every") {
      ticker = new EveryTicker(s.ms, task.anchor ?? 0, !task.enabled, (at) => this.fire(task.id, `at:${new Date(at).toISOString()}`, at));
    } else {
      try {
        ticker = new Cron(cronPatternOf(s), { paused: !task.enabled, timezone: task.timezone }, (self: Cron) => {
          const at = wholeSecond(self.currentRun() ?? new Date());
          this.fire(task.id, `at:${new Date(at).toISOString()}`, at);
        });
      } catch (e) {
        return Promise.reject(new Error(`cannot schedule “${task.schedule}” in ${task.timezone}: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
    this.entries.get(task.id)?.ticker.stop();
    this.entries.set(task.id, { task: { ...task }, ticker });
    return Promise.resolve({ jobId: `demo:${task.id}` });
  }

  setEnabled(task: TaskId, enabled: boolean): Promise<boolean> {
    const e = this.entries.get(task);
    if (e === undefined) return Promise.resolve(false);
    e.task.enabled = enabled;
    if (enabled) e.ticker.resume();
    else e.ticker.pause();
    return Promise.resolve(true);
  }

  remove(task: TaskId): Promise<void> {
    this.entries.get(task)?.ticker.stop();
    this.entries.delete(task);
    return Promise.resolve();
  }

  runNow(task: TaskId, runId: string): Promise<boolean> {
    if (!this.entries.has(task)) return Promise.resolve(false);
    this.fire(task, runId, Date.now());
    return Promise.resolve(true);
  }

  cancel(task: TaskId, runId: string): void {
    const r = this.running.get(task);
    if (r?.runId === runId) r.abort.abort(new Error("another instance runs it"));
  }

  setRunGate(gate: RunGate): void {
    this.gate = gate;
  }

  onRun(listener: (event: SchedulerRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When a task next runs on its schedule (null: paused, unknown or never). */
  nextRun(task: TaskId): Date | null {
    const e = this.entries.get(task);
    return e === undefined || !e.task.enabled ? null : e.ticker.nextRun();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.entries.values()) e.ticker.stop();
    this.entries.clear();
    await Promise.all([...this.gating]);
    for (const r of this.running.values()) r.abort.abort(new Error("the scheduler stopped"));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private fire(taskId: TaskId, runId: string, due: number): void {
    if (!this.entries.has(taskId) || this.closed) return;
    const gate = this.gate;
    if (gate === undefined) {
      this.start(taskId, runId);
      return;
    }
    const gated = gate({ task: taskId, runId, at: due })
      .then((ok) => {
        if (ok) this.start(taskId, runId);
      })
      .catch(() => undefined) // a gate that fails holds the run back; the next tick tries again
      .finally(() => this.gating.delete(gated));
    this.gating.add(gated);
  }

  private start(taskId: TaskId, runId: string): void {
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
    this.running.set(taskId, { runId, abort, done });
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
function wholeSecond(d: Date): number {
  return Math.round(d.getTime() / 1000) * 1000;
}

/** Longest single wait: timers overflow past 2^31 ms, and a shorter wait also notices a clock jump. */
const MAX_WAIT_MS = 60_000;

/**
 * Fires at `anchor + k × everyMs` for every whole k after now: every instance that shares the
 * anchor fires the same ticks, whenever it started. Ticks missed while the process was asleep
 * are not made up: the one that was due runs late, and the next comes on time.
 */
export class EveryTicker implements Ticker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due: number;
  private stopped = false;

  constructor(
    private readonly everyMs: number,
    private readonly anchor: number,
    private paused: boolean,
    private readonly onTick: (at: number) => void,
  ) {
    this.due = nextEveryTick(this.anchor, this.everyMs, Date.now());
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  nextRun(): Date | null {
    return this.stopped || this.paused ? null : new Date(this.due);
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        const now = Date.now();
        if (now >= this.due) {
          const at = this.due;
          this.due = nextEveryTick(this.anchor, this.everyMs, Math.max(now, at));
          if (!this.paused) this.onTick(at);
        }
        this.arm();
      },
      Math.min(MAX_WAIT_MS, Math.max(0, this.due - Date.now())),
    );
  }
}
