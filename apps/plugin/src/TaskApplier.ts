import {
  consumeRunRequest,
  finishJob,
  openRoot,
  recordTaskApplied,
  startJob,
  str,
  taskRevision,
  type AgentId,
  type ChannelDoc,
  type DocumentId,
  type RunRequestId,
  type TaskDoc,
  type TaskId,
  jobIdOf,
  runIdForRequest,
} from "@botschat/model";
import type { PeerPorts } from "./PeerPorts.js";
import type { ScheduledTask, Scheduler } from "./Scheduler.js";

/** What a {@link TaskApplier} needs of the {@link PeerPorts}, and its scheduler. */
export interface TaskApplierOptions extends Pick<PeerPorts, "store" | "actor" | "activity" | "stopped"> {
  scheduler: Scheduler;
  /** The agents whose channels this peer serves. */
  agents: () => readonly AgentId[];
}

/** Where a task's document is and what it is called, for the jobs of its runs. */
export interface TaskIndex {
  /** The task's document, once this peer has seen it (undefined before). */
  docOf(task: TaskId): DocumentId | undefined;
  /** The task's name as last applied (its id before that). */
  nameOf(task: TaskId): string;
}

/**
 * Keeps a {@link Scheduler} in step with the task documents of this gateway's channels: each
 * task's current revision is given to the scheduler (`upsert`, `setEnabled` when only that
 * changed, `remove` for a deleted task) and what was applied, or why not, is recorded on the
 * task (`recordTaskApplied`). It also hands the person's run-now requests to the scheduler,
 * consuming each once (`consumeRunRequest`).
 *
 * @example
 * const tasks = new TaskApplier({ store, actor, activity, stopped, scheduler, agents: () => agents });
 * await tasks.applyAll();
 */
export class TaskApplier implements TaskIndex {
  private readonly appliedDefs = new Map<TaskId, { def: ScheduledTask; jobId: string }>();
  /** The task revision this process last gave its scheduler (or failed to). */
  private readonly appliedHere = new Map<TaskId, number>();
  /** Every live task was given to the scheduler once since the start. */
  private reconciled = false;
  private readonly taskDocs = new Map<TaskId, DocumentId>();
  /** Run-now requests being consumed. */
  private readonly consuming = new Set<string>();

  constructor(private readonly o: TaskApplierOptions) {}

  docOf(task: TaskId): DocumentId | undefined {
    return this.taskDocs.get(task);
  }

  nameOf(task: TaskId): string {
    return this.appliedDefs.get(task)?.def.name ?? task;
  }

  /** Applies every task that needs it (see {@link TaskApplier.tasksToApply}). */
  async applyAll(): Promise<void> {
    for (const taskDoc of await this.tasksToApply()) {
      if (this.o.stopped()) return;
      await this.apply(taskDoc);
    }
    this.reconciled = true;
  }

  /** Brings the scheduler to the task's current revision and records what was applied. */
  private async apply(taskDoc: DocumentId): Promise<void> {
    const { store, actor, scheduler } = this.o;
    const t = (await store.find<TaskDoc>(taskDoc)).doc();
    const id = str(t.id);
    const revision = taskRevision(t);
    this.taskDocs.set(id, taskDoc);
    if (t.deleted !== undefined) {
      await scheduler.remove(id);
      this.appliedDefs.delete(id);
      this.appliedHere.set(id, revision);
      await recordTaskApplied(store, actor, { taskDoc, revision });
      this.o.activity({ type: "task-applied", task: id, revision, name: str(t.name), schedule: str(t.schedule), state: "removed" });
      return;
    }
    const def: ScheduledTask = {
      id,
      name: str(t.name),
      schedule: str(t.schedule),
      timezone: str(t.timezone),
      prompt: String(t.prompt),
      agentId: str(t.agentId),
      enabled: t.enabled,
      anchor: t.createdAt,
      ...(t.model === undefined ? {} : { model: str(t.model) }),
    };
    try {
      const prev = this.appliedDefs.get(id);
      let jobId: string;
      if (prev !== undefined && sameButEnabled(prev.def, def) && (await scheduler.setEnabled(id, def.enabled))) jobId = prev.jobId;
      else jobId = (await scheduler.upsert(def)).jobId;
      this.appliedDefs.set(id, { def, jobId });
      this.appliedHere.set(id, revision);
      await recordTaskApplied(store, actor, { taskDoc, revision, cronJobId: jobId });
      this.o.activity({ type: "task-applied", task: id, revision, name: def.name, schedule: def.schedule, state: def.enabled ? "scheduled" : "paused" });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.appliedHere.set(id, revision);
      await recordTaskApplied(store, actor, { taskDoc, revision, error });
      this.o.activity({ type: "task-applied", task: id, revision, error, name: def.name, schedule: def.schedule, state: "paused" });
    }
  }

  /**
   * Runs a task now for a person's request, once: the request is consumed with the job id its
   * run will have (`now:<request>`); a task the scheduler does not hold gets a failed job.
   */
  async runRequest(taskDoc: DocumentId, request: RunRequestId): Promise<void> {
    if (this.consuming.has(request)) return;
    this.consuming.add(request);
    const { store, actor } = this.o;
    try {
      const id = str((await store.find<TaskDoc>(taskDoc)).doc().id);
      const runId = runIdForRequest(request);
      const job = jobIdOf(id, runId);
      if (!(await consumeRunRequest(store, actor, { taskDoc, request, job }))) return;
      if (!this.appliedDefs.has(id)) await this.apply(taskDoc);
      if (await this.o.scheduler.runNow(id, runId)) return;
      const started = await startJob(store, actor, { taskDoc, job, request });
      await finishJob(store, actor, { doc: started.doc, job, status: "error", error: "The task is not scheduled on this gateway." });
    } finally {
      this.consuming.delete(request);
    }
  }

  /**
   * The tasks of this gateway's channels whose current revision this process has not given its
   * own scheduler, or whose applied state in the document differs. With a scheduler that has a
   * run gate, every instance schedules every task (the claim per occurrence picks who runs a
   * tick), so a second instance takes over the moment the first stops. After a start every live
   * task is applied again (a demo scheduler forgets them on exit).
   */
  private async tasksToApply(): Promise<DocumentId[]> {
    const { store } = this.o;
    const shared = this.o.scheduler.setRunGate !== undefined;
    const agents = this.o.agents();
    const root = (await openRoot(store)).doc();
    const out: DocumentId[] = [];
    for (const entry of Object.values(root.channels)) {
      if (str(entry.gateway) !== this.o.actor.gateway || !agents.includes(str(entry.agentId))) continue;
      const channel = await store.find<ChannelDoc>(str(entry.doc)).catch(() => undefined);
      for (const e of Object.values(channel?.doc().tasks ?? {})) {
        if (e.purged !== undefined) continue;
        const t = (await store.find<TaskDoc>(str(e.doc)).catch(() => undefined))?.doc();
        if (t === undefined) continue;
        const revision = taskRevision(t);
        const here = this.appliedHere.get(str(t.id));
        // A deleted task this process never scheduled only needs its removal recorded.
        const mine = t.deleted !== undefined && here === undefined ? revision : here;
        // A scheduler without a gate cannot share ticks with other instances: it takes a task
        // only when its applied state changes, and every live one after a start (as it forgot them).
        const wanted = shared || !this.reconciled || here !== undefined;
        if ((mine !== revision && wanted) || t.applied?.revision !== revision) out.push(str(e.doc));
      }
    }
    return out;
  }
}

function sameButEnabled(a: ScheduledTask, b: ScheduledTask): boolean {
  return JSON.stringify({ ...a, enabled: true }) === JSON.stringify({ ...b, enabled: true });
}
