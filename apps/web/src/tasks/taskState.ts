import type { TaskView } from "@botschat/model";
import { nextRuns } from "@botschat/model/schedule";

/** How a task stands with its gateway, in words and a tone for its dot. */
export interface ApplyState {
  label: string;
  tone: "live" | "busy" | "off" | "err";
}

/**
 * Whether the gateway has applied the latest edit: applied, waiting (offline edits, or the
 * gateway away), or the error it reported for the latest edit.
 */
export function applyState(task: TaskView, gatewayOnline: boolean): ApplyState {
  if (task.pendingApply) {
    return { label: gatewayOnline ? "Waiting for the gateway" : "Waiting for the gateway (offline)", tone: "busy" };
  }
  if (task.applied?.error !== undefined) return { label: `The gateway could not apply it: ${task.applied.error}`, tone: "err" };
  return task.enabled ? { label: "Scheduled", tone: "live" } : { label: "Paused", tone: "off" };
}

/** When the task next runs on its schedule, as its agents fire it (undefined: paused or never). */
export function nextRunOf(task: TaskView, from: number = Date.now()): number | undefined {
  if (!task.enabled) return undefined;
  return nextRuns(task.schedule, { timezone: task.timezone, anchor: task.createdAt, from, count: 1 })[0];
}

/** Whether a schedule fires within minutes, so its times are worth saying to the second. */
export function bySeconds(schedule: string): boolean {
  return /^every\s+\d+\s*s$/i.test(schedule.trim());
}
