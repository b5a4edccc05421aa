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
}

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
