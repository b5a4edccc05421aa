import { derivedId, type JobId, type RunRequestId, type TaskId } from "../docs/ids.js";

/** How the run id of a run-now run starts (the request's id follows). */
export const RUN_NOW = "now:";

/** The run id of the run a run-now request starts. */
export const runIdForRequest = (request: RunRequestId): string => `${RUN_NOW}${request}`;

/**
 * The job id of a task's run: derived from the task and the run, so every instance of a gateway
 * that sees the same run (a scheduled tick, or the run a run-now request starts) records the
 * same job. The one job id there is.
 */
export function jobIdOf(task: TaskId, runId: string): JobId {
  return derivedId<JobId>("job", task, runId);
}

/** The run-now request a run answers, when it answers one. */
export function requestOfRun(runId: string): RunRequestId | undefined {
  return runId.startsWith(RUN_NOW) ? (runId.slice(RUN_NOW.length) as RunRequestId) : undefined;
}
