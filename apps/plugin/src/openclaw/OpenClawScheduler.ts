import { execFile } from "node:child_process";
import { cronPatternOf, parseSchedule, type ModelId, type TaskId } from "@botschat/model";
import type { ScheduledTask, Scheduler, SchedulerRunEvent } from "../Scheduler.js";
import type { CronHub } from "./cronHub.js";
import { CHANNEL_ID, unofferedModel } from "./openclawConfig.js";
import type { AgentEvents, AgentRunEvent, CronChangedEvent, CronJob, OpenClawConfig } from "./openclawSdk.js";

/** Marks a cron job as one of this plugin's: `description` is `<TAG> <account> <task id>`. */
export const JOB_TAG = "botschat-task";

/** Runs `openclaw cron run <id>` (the gateway RPC is closed to third-party plugins). */
export type RunJobNow = (jobId: string) => Promise<void>;

/** What an {@link OpenClawScheduler} needs. */
export interface OpenClawSchedulerOptions {
  hub: CronHub;
  accountId: string;
  /** Default: the `openclaw` CLI this gateway runs from. */
  runNow?: RunJobNow;
  /** Agent run events (`api.runtime.events`): a run's text as it grows, streamed as job output. */
  events?: AgentEvents;
  /** The gateway's current configuration: a task's model must be one it offers. */
  config: () => OpenClawConfig;
}

/**
 * The {@link Scheduler} on OpenClaw's own cron (`ctx.getCron()`): a task is one cron job, tagged
 * in its description, running the task's prompt as an isolated agent turn of the task's agent
 * (and model). Its `cron_changed` events (`started`, `finished` with status, summary, duration
 * and model) become run events. Run-now goes through the CLI. Jobs persist in OpenClaw, so a
 * restart keeps them; `close` stops nothing.
 */
export class OpenClawScheduler implements Scheduler {
  private readonly listeners = new Set<(e: SchedulerRunEvent) => void>();
  /** Run ids asked for by `runNow`, per job, used by the job's next start. */
  private readonly requested = new Map<string, string[]>();
  /** The run in progress per job: its task and run id. */
  private readonly current = new Map<string, { task: TaskId; runId: string; model?: ModelId }>();
  /** The task of each job seen (events may name only the job). */
  private readonly known = new Map<string, TaskId>();
  /** Agent runs in a task's session, by OpenClaw run id: their task. */
  private readonly agentRuns = new Map<string, TaskId>();
  private readonly unsubscribe: () => void;
  private readonly stopEvents: (() => void) | undefined;

  constructor(private readonly opts: OpenClawSchedulerOptions) {
    this.unsubscribe = opts.hub.onChanged((e) => this.onCron(e));
    this.stopEvents = opts.events?.onAgentEvent((e) => this.onAgentEvent(e));
  }

  async upsert(task: ScheduledTask): Promise<{ jobId: string }> {
    // The model comes from the task document and becomes the cron job's: the same check as a reply's.
    const unoffered = unofferedModel(this.opts.config(), task.model);
    if (unoffered !== undefined) throw new Error(unoffered);
    const cron = await this.opts.hub.service_();
    const job = jobInput(task, this.tag(task.id), this.opts.accountId);
    const existing = await this.find(task.id);
    if (existing !== undefined) {
      await cron.update(existing.id, job);
      return { jobId: existing.id };
    }
    const added = (await cron.add(job)) as { id?: string } | undefined;
    const id = added?.id ?? (await this.find(task.id))?.id;
    if (id === undefined) throw new Error("OpenClaw's cron did not answer the new job's id");
    return { jobId: id };
  }

  async setEnabled(task: TaskId, enabled: boolean): Promise<boolean> {
    const job = await this.find(task);
    if (job === undefined) return false;
    await (await this.opts.hub.service_()).update(job.id, { enabled });
    return true;
  }

  async remove(task: TaskId): Promise<void> {
    const job = await this.find(task);
    if (job !== undefined) await (await this.opts.hub.service_()).remove(job.id);
  }

  async runNow(task: TaskId, runId: string): Promise<boolean> {
    const job = await this.find(task);
    if (job === undefined) return false;
    const queued = this.requested.get(job.id) ?? [];
    queued.push(runId);
    this.requested.set(job.id, queued);
    try {
      await (this.opts.runNow ?? runWithCli)(job.id);
    } catch (e) {
      queued.splice(queued.indexOf(runId), 1);
      throw e;
    }
    return true;
  }

  onRun(listener: (event: SchedulerRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.unsubscribe();
    this.stopEvents?.();
    return Promise.resolve();
  }

  /**
   * Removes this account's jobs whose task is not in `live` (deleted, or gone while the gateway
   * was off); answers how many. Jobs of other accounts and untagged jobs are left alone.
   */
  async prune(live: ReadonlySet<TaskId>): Promise<number> {
    const cron = await this.opts.hub.service_();
    let removed = 0;
    for (const [task, job] of await this.jobs()) {
      if (live.has(task)) continue;
      await cron.remove(job.id);
      this.known.delete(job.id);
      removed += 1;
    }
    return removed;
  }

  /** This account's jobs, by task id (disabled ones too). */
  async jobs(): Promise<Map<TaskId, CronJob>> {
    const all = await (await this.opts.hub.service_()).list({ includeDisabled: true });
    const mine = new Map<TaskId, CronJob>();
    for (const j of all) {
      const task = this.taskOf(j);
      if (task === undefined) continue;
      mine.set(task, j);
      this.known.set(j.id, task);
    }
    return mine;
  }

  private async find(task: TaskId): Promise<CronJob | undefined> {
    return (await this.jobs()).get(task);
  }

  private tag(task: TaskId): string {
    return `${JOB_TAG} ${this.opts.accountId} ${task}`;
  }

  private taskOf(job: CronJob | undefined): TaskId | undefined {
    const parts = (job?.description ?? "").split(" ");
    return parts.length === 3 && parts[0] === JOB_TAG && parts[1] === this.opts.accountId ? (parts[2] as TaskId) : undefined;
  }

  private onCron(e: CronChangedEvent): void {
    const jobId = e.jobId ?? e.job?.id;
    if (jobId === undefined) return;
    if (e.action === "started") {
      const task = this.taskOf(e.job) ?? this.known.get(jobId);
      if (task === undefined) return;
      const at = e.runAtMs ?? Date.now();
      const runId = this.requested.get(jobId)?.shift() ?? `at:${new Date(Math.round(at / 1000) * 1000).toISOString()}`;
      const model = modelOfJob(e.job);
      this.current.set(jobId, { task, runId, ...(model === undefined ? {} : { model }) });
      this.emit({ type: "started", task, runId, at, ...(model === undefined ? {} : { model }) });
    } else if (e.action === "finished") {
      const run = this.current.get(jobId);
      if (run === undefined) return;
      this.current.delete(jobId);
      const status = e.status === "ok" || e.status === "skipped" ? e.status : "error";
      const model = e.provider !== undefined && e.model !== undefined ? (`${e.provider}/${e.model}` as ModelId) : run.model;
      this.emit({
        type: "finished",
        task: run.task,
        runId: run.runId,
        at: Date.now(),
        status,
        ...(e.summary === undefined ? {} : { summary: firstLine(e.summary), output: e.summary }),
        ...(status === "error" ? { error: e.error ?? "The run failed." } : {}),
        ...(model === undefined ? {} : { model }),
      });
    }
  }

  /** A task run's assistant text (cumulative in OpenClaw's events) becomes job output. */
  private onAgentEvent(e: AgentRunEvent): void {
    const prefix = `${CHANNEL_ID}-${this.opts.accountId}-task-`;
    const session = e.sessionKey?.split(":")[2];
    if (session?.startsWith(prefix) === true) this.agentRuns.set(e.runId, session.slice(prefix.length) as TaskId);
    const task = this.agentRuns.get(e.runId);
    if (task === undefined) return;
    if (e.stream === "lifecycle" && e.data["phase"] === "end") this.agentRuns.delete(e.runId);
    if (e.stream !== "assistant" || typeof e.data["text"] !== "string") return;
    for (const run of this.current.values()) {
      if (run.task === task) this.emit({ type: "output", task, runId: run.runId, text: e.data["text"] });
    }
  }

  private emit(event: SchedulerRunEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

/**
 * The cron job for a task: an agent turn with the task's prompt in the task's own persistent
 * session (`session:botschat-<account>-task-<id>`), so each run builds on the earlier ones (as
 * a task's conversation does on the demo agent); delivered nowhere, since runs become job records.
 */
export function jobInput(task: ScheduledTask, tag: string, accountId: string): Record<string, unknown> {
  const parsed = parseSchedule(task.schedule);
  if (!parsed.ok) throw new Error(parsed.message);
  const s = parsed.schedule;
  const schedule =
    s.kind === "every" ? { kind: "every", everyMs: s.ms } : { kind: "cron", expr: cronPatternOf(s), ...(task.timezone === "" ? {} : { tz: task.timezone }) };
  return {
    name: `BotsChat: ${task.name}`.slice(0, 120),
    description: tag,
    enabled: task.enabled,
    agentId: task.agentId,
    schedule,
    sessionTarget: `session:${CHANNEL_ID}-${accountId}-task-${task.id}`,
    wakeMode: "now",
    payload: { kind: "agentTurn", message: task.prompt, ...(task.model === undefined ? {} : { model: task.model }) },
    delivery: { mode: "none" },
  };
}

function modelOfJob(job: CronJob | undefined): ModelId | undefined {
  const p = job?.payload as { model?: unknown } | undefined;
  return typeof p?.model === "string" ? (p.model as ModelId) : undefined;
}

function firstLine(text: string): string {
  const line =
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** `openclaw cron run <id>` with the Node and entry script of this gateway. */
const runWithCli: RunJobNow = (jobId) =>
  new Promise<void>((resolve, reject) => {
    const entry = process.argv[1];
    const [cmd, args] = entry === undefined ? ["openclaw", [] as string[]] : [process.execPath, [entry]];
    execFile(cmd, [...args, "cron", "run", jobId], { timeout: 60_000, env: process.env }, (err, _out, stderr) => {
      if (err === null) resolve();
      else reject(new Error(`openclaw cron run failed: ${stderr.trim().split("\n").at(-1) ?? err.message}`));
    });
  });
