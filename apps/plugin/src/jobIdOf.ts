import { requestOfRun, type RunRequestId } from "@botschat/model";
import type { JobTrigger } from "./PeerActivity.js";

/** The run-now request a run answers, as a job records it. */
export function requestOf(runId: string): { request?: RunRequestId } {
  const request = requestOfRun(runId);
  return request === undefined ? {} : { request };
}

/** What started a run, by its id. */
export function triggerOf(runId: string): JobTrigger {
  return requestOfRun(runId) === undefined ? "scheduled" : "run-now";
}
