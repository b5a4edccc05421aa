import {
  CLAIM_CONFIRM_MS,
  claimJob,
  EphStreamer,
  EphType,
  readEphFrame,
  findOpenJobs,
  finishJob,
  renewJob,
  startJob,
  str,
  type AgentId,
  type DocumentId,
  type JobId,
  type JobLogDoc,
  type JobStreamFrame,
  type ModelId,
  type TaskId,
  jobIdOf,
} from "@botschat/model";
import { requestOf, triggerOf } from "./jobIdOf.js";
import type { JobTrigger } from "./PeerActivity.js";
import type { PeerPorts } from "./PeerPorts.js";
import type { RunGate, SchedulerRunEvent } from "./Scheduler.js";
import type { TaskIndex } from "./TaskApplier.js";
import { withTimeout } from "./withTimeout.js";
import { writeJobConversation } from "./writeJobConversation.js";

/** What a {@link JobRecorder} needs besides the {@link PeerPorts}. */
export interface JobRecorderOptions extends PeerPorts {
  /** Where the tasks' documents are (the {@link TaskApplier}). */
  tasks: TaskIndex;
  /** Stops a run whose occurrence turns out to be another instance's (`Scheduler.cancel`). */
  cancel: (task: TaskId, runId: string) => void;
  /** The agents whose channels this peer serves. */
  agents: () => readonly AgentId[];
  /** Jobs of another instance that said nothing for this long are presumed dead. */
  quietMs: number;
  /** At most one stream frame per job this often. */
  streamEveryMs: number;
  /** How long a fresh claim waits for the relay to place it. */
  claimConfirmMs?: number;
}

/** A job this peer records from a scheduler run. */
interface RecordedJob {
  doc: DocumentId;
  job: JobId;
  task: TaskId;
  taskDoc: DocumentId;
  startedAt: number;
  name: string;
  trigger: JobTrigger;
  stream: EphStreamer<Pick<JobStreamFrame, "type" | "job">>;
  /**
   * Whether this instance's record of the job is the one that stands, read from the job log as
   * it is now (found again each time: the engine may have let go of an idle document's handle).
   */
  winning: () => Promise<boolean>;
  /** The job's output, streamed in the order the run wrote it. */
  output: Promise<void>;
}

/**
 * Turns a scheduler's runs into job records: the run gate claims each occurrence
 * ({@link JobRecorder.mayRun}); run events ({@link JobRecorder.onRun}) start the record, stream
 * the output as `job-stream` eph frames and finish it with the run's outcome and conversation.
 * Records are idempotent by job id (derived from the task and the run id), so an occurrence is
 * one job however many instances see it. Running jobs are renewed, and the ones nobody runs any
 * more are finished as interrupted ({@link JobRecorder.sweepOpenJobs}).
 *
 * @example
 * const jobs = new JobRecorder({ ...ports, tasks, cancel: (t, r) => scheduler.cancel?.(t, r), agents, quietMs, streamEveryMs: 30 });
 * scheduler.setRunGate?.((run) => jobs.mayRun(run));
 * scheduler.onRun((e) => jobs.onRun(e));
 */
export class JobRecorder {
  /** Records of the runs in progress (`task|runId`). */
  private readonly jobs = new Map<string, Promise<RecordedJob | undefined>>();
  /** Jobs the gate recorded for runs the scheduler is about to start (`task|runId`). */
  private readonly claimed = new Map<string, RecordedJob>();
  /** Jobs this process runs (claimed or started, not finished): the sweep leaves them alone. */
  private readonly activeJobs = new Set<JobId>();
  /** Job records being finished. */
  private readonly finishing = new Set<Promise<void>>();

  constructor(private readonly o: JobRecorderOptions) {}

  /**
   * The scheduler's gate, a claim per occurrence: this instance claims the occurrence's job (its
   * id derived from the task and the run id, so every instance names it alike) and runs it only
   * if its claim was the first the relay stored (`claimJob`); only then does it record the job as
   * its own and let the run start. A job started before (by another instance, or by this one
   * before a restart) is not run again.
   */
  readonly mayRun: RunGate = async (run) => {
    const taskDoc = this.o.tasks.docOf(run.task);
    if (this.o.stopped() || taskDoc === undefined) return false;
    const claim = { taskDoc, job: jobIdOf(run.task, run.runId), instance: this.o.instance, at: run.at };
    const confirmMs = this.o.claimConfirmMs ?? CLAIM_CONFIRM_MS;
    if (!(await claimJob(this.o.store, this.o.actor, claim, { confirmMs })) || this.o.stopped()) return false;
    const j = await this.record(run, true);
    if (j === undefined) return false;
    this.claimed.set(`${run.task}|${run.runId}`, j);
    return true;
  };

  /** Turns the scheduler's run events into job records, in order per run. */
  onRun(e: SchedulerRunEvent): void {
    const key = `${e.task}|${e.runId}`;
    if (e.type === "started") {
      const claimed = this.claimed.get(key);
      this.claimed.delete(key);
      const started =
        claimed !== undefined
          ? Promise.resolve(claimed)
          : this.record(e, false).catch((err: unknown) => {
              this.o.problem("recording a job", err);
              return undefined;
            });
      this.jobs.set(key, started);
      void started.then((j) => j !== undefined && this.o.activity({ type: "job-started", task: j.task, job: j.job, name: j.name, trigger: j.trigger }));
      return;
    }
    const started = this.jobs.get(key);
    if (started === undefined) return;
    if (e.type === "output") {
      void started.then((j) => {
        if (j === undefined) return;
        j.output = j.output
          .then(async () => {
            if (await j.winning()) j.stream.push({ text: e.text });
            else this.o.cancel(e.task, e.runId);
          })
          .catch((err: unknown) => this.o.problem("streaming a job's output", err));
      });
      return;
    }
    this.jobs.delete(key);
    const finished = started
      .then(async (j) => (j === undefined ? undefined : this.finish(j, e)))
      .catch((err: unknown) => this.o.problem("finishing a job", err))
      .finally(() => {
        this.finishing.delete(finished);
        void started.then((j) => j !== undefined && this.activeJobs.delete(j.job));
      });
    this.finishing.add(finished);
  }

  /** A device that joined a job's output midway, or missed a frame, asks for a keyframe. */
  onEph(doc: DocumentId, payload: Readonly<Record<string, unknown>>): void {
    const frame = readEphFrame(payload);
    if (frame?.type !== EphType.streamSync || frame.job === undefined) return;
    for (const started of this.jobs.values()) {
      void started.then((j) => {
        if (j !== undefined && j.job === frame.job && j.doc === doc) j.stream.requestKeyframe();
      });
    }
  }

  /** A sign of life for every job this process runs, so other instances leave them alone. */
  async renewJobs(): Promise<void> {
    for (const started of [...this.jobs.values(), ...[...this.claimed.values()].map((j) => Promise.resolve(j))]) {
      const j = await started;
      if (j === undefined || this.o.stopped() || !(await j.winning().catch(() => false))) continue;
      await renewJob(this.o.store, this.o.actor, { doc: j.doc, job: j.job, instance: this.o.instance }).catch(() => false);
    }
  }

  /**
   * Finishes as interrupted the running jobs nobody runs any more: this instance's own (or
   * unmarked) ones that this process does not run — its previous life's, cut off by a crash —
   * at once, another instance's only once they said nothing for `quietMs`. A live instance
   * renews its jobs ({@link JobRecorder.renewJobs}) well within that.
   */
  async sweepOpenJobs(): Promise<void> {
    const now = (this.o.actor.now ?? Date.now)();
    const open = await findOpenJobs(this.o.store, this.o.actor.gateway, { agents: this.o.agents(), now });
    for (const j of open) {
      if (this.o.stopped()) return;
      if (this.activeJobs.has(j.job)) continue;
      const own = j.instance === undefined || j.instance === this.o.instance;
      if (!own && now - j.at < this.o.quietMs) continue;
      const error = own ? "interrupted: the agent stopped before this run finished" : "interrupted: the agent running it stopped answering";
      if (await finishJob(this.o.store, this.o.actor, { doc: j.doc, job: j.job, status: "error", error })) {
        const name = this.o.tasks.nameOf(j.task);
        this.o.activity({ type: "job-finished", task: j.task, job: j.job, status: "error", name, trigger: "scheduled", ms: 0, interrupted: true });
      }
    }
  }

  /** Resolves once the job records being finished are written. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.finishing]);
  }

  /**
   * Once the scheduler is closed: waits for the records of its last runs, and finishes as an
   * error the jobs the gate recorded for runs that never started (the task went away meanwhile).
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.jobs.values(), ...this.finishing]);
    for (const j of this.claimed.values()) {
      await finishJob(this.o.store, this.o.actor, { doc: j.doc, job: j.job, status: "error", error: "The run did not start." }).catch(() => undefined);
    }
    this.claimed.clear();
  }

  /**
   * Records a run's job as started by this instance (`startJob`, idempotent by job id) and
   * readies its output stream; undefined when the job was started before (another instance
   * fired the same tick: that one records it). `contested`: other instances may have recorded
   * the same occurrence without the relay (a gated run), so the record that stands names the
   * winner; otherwise this record is taken as it is.
   */
  private async record(run: { task: TaskId; runId: string; at: number; model?: ModelId }, contested: boolean): Promise<RecordedJob | undefined> {
    const taskDoc = this.o.tasks.docOf(run.task);
    if (taskDoc === undefined) return undefined;
    const job = jobIdOf(run.task, run.runId);
    // Marked before the record exists, so the open-job sweep never takes it for a dead one.
    this.activeJobs.add(job);
    const s = await startJob(this.o.store, this.o.actor, {
      taskDoc,
      job,
      startedAt: run.at,
      instance: this.o.instance,
      ...requestOf(run.runId),
      ...(run.model === undefined ? {} : { model: run.model }),
    });
    if (!s.started) {
      this.activeJobs.delete(job);
      return undefined;
    }
    const { store, instance } = this.o;
    return {
      doc: s.doc,
      job,
      task: run.task,
      taskDoc,
      startedAt: run.at,
      name: this.o.tasks.nameOf(run.task),
      trigger: triggerOf(run.runId),
      stream: new EphStreamer(this.o.sendEph, s.doc, { type: EphType.jobStream, job }, this.o.streamEveryMs),
      // A log that cannot be read any more (its task was deleted meanwhile) holds no record of ours.
      winning: contested
        ? async () => str((await store.find<JobLogDoc>(s.doc).catch(() => undefined))?.doc().jobs[job]?.instance) === instance
        : async () => true,
      output: Promise.resolve(),
    };
  }

  /** Finishes a job's record with the run's outcome, its conversation written first. */
  private async finish(j: RecordedJob, e: Extract<SchedulerRunEvent, { type: "finished" }>): Promise<void> {
    const { store, actor } = this.o;
    // Instances that decided alone (the relay was away): once this instance's last changes have travelled, another
    // instance's record may turn out to stand; then that instance reports the run.
    if (store.whenIdle !== undefined) await withTimeout(store.whenIdle(), this.o.claimConfirmMs ?? CLAIM_CONFIRM_MS);
    await j.output.catch(() => undefined);
    if (!(await j.winning())) return;
    j.stream.flush({ done: true, ...(e.output === undefined ? {} : { text: e.output }) });
    const session =
      e.status === "skipped"
        ? undefined
        : await writeJobConversation(store, actor, j, e).catch((err: unknown) => {
            this.o.problem("writing a job's conversation", err);
            return undefined;
          });
    await finishJob(store, actor, {
      doc: j.doc,
      job: j.job,
      status: e.status,
      finishedAt: e.at,
      ...(session === undefined ? {} : { session }),
      ...(e.summary === undefined ? {} : { summary: e.summary }),
      ...(e.output === undefined ? {} : { output: e.output }),
      ...(e.error === undefined ? {} : { error: e.error }),
      ...(e.model === undefined ? {} : { model: e.model }),
    });
    this.o.activity({
      type: "job-finished",
      task: j.task,
      job: j.job,
      status: e.status,
      name: j.name,
      trigger: j.trigger,
      ms: Math.max(0, e.at - j.startedAt),
    });
  }
}
