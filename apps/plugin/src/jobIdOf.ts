import { derivedId, type JobId, type RunRequestId, type TaskId } from "@botschat/model";
import type { JobTrigger } from "./PeerActivity.js";

/** How a run-now run's id starts (the request's id follows). */
export const RUN_NOW = "now:";

/** The job id of a scheduler run: the same on every instance that sees the same run. */
export function jobIdOf(task: TaskId, runId: string): JobId {
  return derivedId<JobId>("job", task, runId);
}

/** The run-now request a run answers (its run id is `now:<request>`), as a job records it. */
export function requestOf(runId: string): { request?: RunRequestId } {
  return runId.startsWith(RUN_NOW) ? { request: runId.slice(RUN_NOW.length) as RunRequestId } : {};
}

/** What started a run, by its id. */
export function triggerOf(runId: string): JobTrigger {
  return runId.startsWith(RUN_NOW) ? "run-now" : "scheduled";
}
