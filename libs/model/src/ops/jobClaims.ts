import { monthOf } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import { imm, str } from "../docs/Imm.js";
import type { DocumentId, JobId } from "../docs/ids.js";
import { type JobLogDoc, JobStatus } from "../docs/JobLogDoc.js";
import { type GatewayActor, nowOf } from "./Actor.js";
import { openJobLog } from "./agentOps.js";
import { openDoc } from "./openDoc.js";
import { OpError, OpErrorCode } from "./OpError.js";

/** The key of an instance's claim on a job in `JobLogDoc.claims`. */
const claimKey = (job: JobId, instance: string): string => `${job}|${instance}`;

/** How long a claim waits for the relay to place it before this copy decides alone. */
export const CLAIM_CONFIRM_MS = 2000;

/**
 * Claims one occurrence of a task (a scheduled tick or a run-now request, by its job id) for one
 * gateway instance, so that of several instances serving the same gateway exactly one runs it.
 * The first claim in the relay's order wins: the instance records its claim in the job log of
 * the month of `at` (default: now; pass the occurrence's time, and start the job in the same
 * month) and, once the relay has stored it, looks at its place in the relay's order
 * (`DocStore.afterAck`): it wins if no other instance's claim or job came before it. An instance
 * that already sees another's claim or job does not claim. Without a relay answer within
 * `confirmMs` (the relay is down, or the store has none), the local copy decides the same way —
 * so a lone gateway still runs its tasks while the relay is away.
 * Idempotent: a claim made before (by this instance, before a restart) records nothing new and
 * answers from what this copy knows.
 */
export async function claimJob(
  store: DocStore,
  actor: GatewayActor,
  input: { taskDoc: DocumentId; job: JobId; instance: string; at?: number },
  options: { confirmMs?: number } = {},
): Promise<boolean> {
  const now = nowOf(actor);
  const { log } = await openJobLog(store, input.taskDoc, monthOf(input.at ?? now));
  const first = (): boolean => {
    const d = log.doc();
    const started = d.jobs[input.job];
    if (started !== undefined) return str(started.instance) === input.instance;
    return !Object.values(d.claims ?? {}).some((c) => str(c.job) === input.job && str(c.instance) !== input.instance);
  };
  const key = claimKey(input.job, input.instance);
  if (log.doc().claims?.[key] !== undefined || !first()) return first();
  log.change((d) => {
    // Logs written before claims existed get the map here (a race of two instances on such a log may hide one claim).
    d.claims ??= {};
    d.claims[key] = { job: imm(input.job), instance: imm(input.instance), by: imm(actor.gateway), at: now };
  });
  if (store.afterAck === undefined) return first();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.confirmMs ?? CLAIM_CONFIRM_MS);
  });
  try {
    return (await Promise.race([store.afterAck(log.documentId as DocumentId, first), timeout])) ?? first();
  } finally {
    clearTimeout(timer);
  }
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
