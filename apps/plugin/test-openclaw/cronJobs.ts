import { expect } from "vitest";
import { taskView, type DocumentId, type TaskDoc, type TaskId } from "@botschat/model";
import { suite, until, type Device } from "./suite.js";

/** A cron job as `openclaw cron list --json` lists it. */
export interface CronListed {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  schedule: { kind: string; everyMs?: number; expr?: string; tz?: string };
  payload: { kind: string; message?: string; model?: string };
  sessionTarget?: string;
}

/** The gateway's cron jobs made for a task, from `openclaw cron list --all --json`. */
export async function cronJobsOf(task: TaskId): Promise<CronListed[]> {
  const out = await suite().cli(["cron", "list", "--all", "--json"]);
  const parsed = JSON.parse(out.slice(out.indexOf("{"))) as { jobs?: CronListed[] };
  return (parsed.jobs ?? []).filter((j) => j.description?.endsWith(` ${task}`) === true);
}

/** A task document as the device sees it. */
export const taskOf = async (device: Device, doc: DocumentId) => taskView((await device.engine.find<TaskDoc>(doc)).doc());

/** Waits until the plugin recorded `revision` of the task as applied, without an error. */
export async function applied(device: Device, doc: DocumentId, revision: number): Promise<void> {
  await until(async () => {
    const t = await taskOf(device, doc);
    return !t.pendingApply && t.applied?.revision === revision;
  }, `revision ${revision} to be applied`);
  expect((await taskOf(device, doc)).applied?.error).toBeUndefined();
}
