import { monthOf } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import type { DocumentId, JobId } from "../docs/ids.js";
import { type JobClaim, type JobLogDoc, JobStatus } from "../docs/JobLogDoc.js";
import { type GatewayActor, nowOf } from "./Actor.js";
import { openJobLog } from "./agentOps.js";
import { openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";

/** The key of an instance's claim on a job in `JobLogDoc.claims`. */
const claimKey = (job: JobId, instance: string): string => `${job}|${instance}`;

/** The winning claim on a job: the lowest `(at, instance)`. */
export function winningJobClaim(log: JobLogDoc, job: JobId): JobClaim | undefined {
  let best: JobClaim | undefined;
  for (const c of Object.values(log.claims ?? {})) {
    if (str(c.job) !== job) continue;
    if (best === undefined || c.at < best.at || (c.at === best.at && str(c.instance) < str(best.instance))) best = c;
  }
  return best;
}

/**
 * Claims one occurrence of a task (a scheduled tick or a run-now request, by its job id) for one
 * gateway instance, so that of several instances serving the same gateway only one runs it.
 * Records the instance's claim in the job log of the month of `at` (default: now; pass the
 * occurrence's time, and start the job in the same month) and answers whether this instance wins:
 * the lowest `(claim time, instance)` among the claims, and no job started by another instance.
 * Idempotent: calling it again records nothing new and answers whether the instance still wins.
 * Two instances claiming on copies that have not met yet each win there; once merged, all agree —
 * so wait for the claim to travel (`whenIdle`) and ask again before starting the job.
 */
export async function claimJob(
  store: DocStore,
  actor: GatewayActor,
  input: { taskDoc: DocumentId; job: JobId; instance: string; at?: number },
): Promise<boolean> {
  const now = nowOf(actor);
  const { log } = await openJobLog(store, input.taskDoc, monthOf(input.at ?? now));
  const started = log.doc().jobs[input.job];
  if (started !== undefined) return str(started.instance) === input.instance;
  const key = claimKey(input.job, input.instance);
  if (log.doc().claims?.[key] === undefined) {
    log.change((d) => {
      // Logs written before claims existed get the map here (a race of two instances on such a log may hide one claim).
      d.claims ??= {};
      d.claims[key] = { job: imm(input.job), instance: imm(input.instance), by: imm(actor.gateway), at: now };
    });
  }
  return str(winningJobClaim(log.doc(), input.job)?.instance) === input.instance;
}

/**
 * A running job's sign of life from the instance running it: sets `renewedAt`, so other
 * instances (`findOpenJobs` with `quietMs`) leave it alone. False when the job is not running,
 * or runs in another instance.
 */
export async function renewJob(store: DocStore, actor: GatewayActor, input: { doc: DocumentId; job: JobId; instance: string }): Promise<boolean> {
  const log = await openDoc<JobLogDoc>(store, input.doc, "jobs");
  const job = log.doc().jobs[input.job];
  if (job === undefined) throw new OpError(OpErrorCode.notFound, `no job ${input.job}`);
  if (str(job.status) !== JobStatus.running || str(job.instance) !== input.instance) return false;
  const now = nowOf(actor);
  log.change((d) => {
    d.jobs[input.job]!.renewedAt = now;
  });
  return true;
}
