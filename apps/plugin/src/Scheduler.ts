import type { AgentId, ModelId, TaskId } from "@botschat/model";

/**
 * Runs background tasks on their schedules: OpenClaw's cron, or the demo agent's croner-based
 * {@link DemoScheduler}. The peer core reconciles each task document with it
 * (`upsert` / `setEnabled` / `remove`) and turns its run events into job records.
 *
 * All methods are idempotent: upserting the same definition twice, removing a task that is not
 * scheduled, or enabling an enabled one changes nothing.
 */
export interface Scheduler {
  /** Creates or replaces a task's schedule; answers the scheduler's own job id for it. */
  upsert(task: ScheduledTask): Promise<{ jobId: string }>;
  /** Pauses or resumes a scheduled task (false: it is not scheduled here). */
  setEnabled(task: TaskId, enabled: boolean): Promise<boolean>;
  /** Unschedules a task; a run in progress finishes. */
  remove(task: TaskId): Promise<void>;
  /**
   * Runs a scheduled task once now, disabled or not; its events carry `runId`. False if the task
   * is not scheduled here.
   */
  runNow(task: TaskId, runId: string): Promise<boolean>;
  /**
   * Installs the check every run (scheduled or run-now) must pass before it starts: the peer
   * core's claim of that occurrence, so two instances of one gateway never both run it. A run
   * the gate refuses emits nothing. A scheduler that cannot hold a run back (a cron that runs
   * prompts on its own) leaves this out; job ids derived from the run id then still keep one
   * record per occurrence.
   */
  setRunGate?(gate: RunGate): void;
  /**
   * Stops one run in progress, which then finishes (as an error). The peer core calls it when
   * the run's occurrence turns out to be another instance's (their claims crossed). Optional.
   */
  cancel?(task: TaskId, runId: string): void;
  /** Listens to runs starting, streaming output and finishing; returns the unsubscribe function. */
  onRun(listener: (event: SchedulerRunEvent) => void): () => void;
  /** Stops every schedule and waits for runs in progress to end. */
  close(): Promise<void>;
}

/** A task as the scheduler runs it. */
export interface ScheduledTask {
  id: TaskId;
  name: string;
  /** `every <n><s|m|h|d>`, `at HH:MM` or `cron <expr>` (`parseSchedule`). */
  schedule: string;
  /** IANA time zone for `at` and `cron`. */
  timezone: string;
  prompt: string;
  agentId: AgentId;
  model?: ModelId;
  enabled: boolean;
  /**
   * The time (ms) an `every` schedule counts from — the task's creation — so every instance
   * fires the same ticks and the first comes one interval after it. Default: the Unix epoch.
   */
  anchor?: number;
}

/** Whether a run may start: the run's task, its id, and the time it was due. */
export type RunGate = (run: { task: TaskId; runId: string; at: number }) => Promise<boolean>;

/**
 * A run's lifecycle. `runId` is stable for one run: for a scheduled run it names the scheduled
 * time (`at:<ISO time>`), so two schedulers firing the same tick agree; for `runNow`, the id given.
 */
export type SchedulerRunEvent =
  | { type: "started"; task: TaskId; runId: string; at: number; model?: ModelId }
  /** Output so far (cumulative). */
  | { type: "output"; task: TaskId; runId: string; text: string }
  | {
      type: "finished";
      task: TaskId;
      runId: string;
      at: number;
      status: "ok" | "error" | "skipped";
      summary?: string;
      output?: string;
      error?: string;
      model?: ModelId;
    };
