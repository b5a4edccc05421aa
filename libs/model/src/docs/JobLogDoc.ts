import { type DocHeader, SCHEMA_VERSION } from "./DocType.js";
import { type Imm, imm } from "./Imm.js";
import type { DocumentId, GatewayId, JobId, ModelId, RunRequestId, TaskId } from "./ids.js";

/** A job's lifecycle: `running` → `ok` | `error` | `skipped`. */
export const JobStatus = { running: "running", ok: "ok", error: "error", skipped: "skipped" } as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** One run of a task. */
export interface JobRecord {
  id: Imm<JobId>;
  status: Imm<JobStatus>;
  by: Imm<GatewayId>;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  summary?: Imm;
  output?: Imm;
  error?: Imm;
  model?: Imm<ModelId>;
  /** The page document of the job's conversation, if it has one. */
  session?: Imm<DocumentId>;
  /** The run-now request that started it. */
  request?: Imm<RunRequestId>;
  /** The gateway process (instance) running it, when it said. */
  instance?: Imm;
  /** The last sign of life of a running job (`renewJob`). */
  renewedAt?: number;
}

/**
 * One instance's claim on one occurrence of a task (a scheduled tick or a run-now request),
 * under the key `<job>|<instance>`: concurrent claims of several instances all survive a merge,
 * and the first of them in the relay's order wins (`claimJob`).
 */
export interface JobClaim {
  job: Imm<JobId>;
  instance: Imm;
  by: Imm<GatewayId>;
  /** When the instance claimed it (its clock). */
  at: number;
}

/**
 * A task's jobs in one UTC month (`jobLogDocId(task, month)`, deterministic first change): old
 * history is dropped by tombstoning whole months.
 */
export interface JobLogDoc extends DocHeader<"jobs"> {
  task: Imm<TaskId>;
  month: Imm;
  jobs: Record<JobId, JobRecord>;
  /** Claims on this month's occurrences; present from the first change (logs written before it existed lack it). */
  claims?: Record<string, JobClaim>;
}

/** A job log's deterministic first content. */
export function jobLogInitial(task: TaskId, month: string): JobLogDoc {
  return { type: imm("jobs"), schema: SCHEMA_VERSION.jobs, task: imm(task), month: imm(month), jobs: {}, claims: {} };
}
