import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTask,
  deleteTask,
  editTask,
  requestRun,
  setTaskEnabled,
  sortedMessages,
  str,
  type ChannelDoc,
  type DocumentId,
  type JobRecord,
  type ModelId,
  type PageDoc,
  type TaskId,
} from "@botschat/model";
import { taskSessionId } from "@botschat/model";
import { applied, cronJobsOf, taskOf } from "./cronJobs.js";
import { jobsOf as jobsOfTask } from "../test/workspace.js";
import { channelWithSession, startDevice, streamedJobs, until, type Device } from "./suite.js";

let device: Device;
let channelDoc: DocumentId;

beforeAll(async () => {
  device = await startDevice();
  channelDoc = (await channelWithSession(device, "Tasks")).channel.doc;
});
afterAll(() => device?.stop());

/** Every job of a task, as the suite's device sees it. */
const jobsOf = (task: TaskId): Promise<JobRecord[]> => jobsOfTask(device, channelDoc, task);

describe("background tasks run on OpenClaw's cron", () => {
  it("a task becomes a tagged OpenClaw cron job; run-now runs it and its job appears with status, summary and model", async () => {
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Digest",
      schedule: "at 07:30",
      timezone: "Asia/Shanghai",
      prompt: "CRON:digest please",
    });
    await applied(device, doc, 1);
    const [job] = await cronJobsOf(task);
    expect(job).toMatchObject({
      enabled: true,
      schedule: { kind: "cron", expr: "30 7 * * *", tz: "Asia/Shanghai" },
      payload: { kind: "agentTurn", message: "CRON:digest please" },
    });
    expect((await taskOf(device, doc)).applied?.cronJobId).toBe(job!.id);
    expect(job!.sessionTarget).toBe(`session:botschat-default-task-${task}`);

    await requestRun(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await jobsOf(task)).some((j) => str(j.status) !== "running"), "the run-now job to finish", 60_000);
    const [record] = await jobsOf(task);
    expect(str(record!.status)).toBe("ok");
    expect(str(record!.summary)).toBe("CRON-DONE:digest from mock-1");
    expect(str(record!.model)).toBe("mock/mock-1");
    expect(str(record!.output)).toContain("streamed slowly enough");
    // The output streamed live while the run went on, not only once it ended.
    const live = streamedJobs(device).filter((s) => !s.done);
    expect(live.some((s) => s.text.startsWith("CRON-DONE:digest"))).toBe(true);

    // The job's conversation is readable as a session of its task: the prompt, then the output.
    await until(async () => (await jobsOf(task)).some((j) => j.session !== undefined), "the job record to name its conversation");
    const page = str((await jobsOf(task))[0]!.session)!;
    await until(() => device.engine.has(page), "the conversation's page on the device");
    const messages = sortedMessages((await device.engine.find<PageDoc>(page)).doc());
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["system", "CRON:digest please"],
      ["agent", str(record!.output)],
    ]);
    expect(messages[1]!.model).toBe("mock/mock-1");
    const entry = (await device.engine.find<ChannelDoc>(channelDoc)).doc().sessions[taskSessionId(task)];
    expect(entry?.archived).toBe(true);
    expect(Object.values(entry!.pages).map(str)).toContain(page);
  });

  it("an every-10s task runs on OpenClaw's own schedule, and its run becomes a job with its summary", async () => {
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Often",
      schedule: "every 10s",
      timezone: "UTC",
      prompt: "CRON:often",
    });
    await applied(device, doc, 1);
    expect((await cronJobsOf(task))[0]).toMatchObject({ enabled: true, schedule: { kind: "every", everyMs: 10_000 } });
    await until(async () => (await jobsOf(task)).some((j) => str(j.status) === "ok"), "a scheduled run to finish", 60_000);
    const done = (await jobsOf(task)).find((j) => str(j.status) === "ok")!;
    expect(str(done.summary)).toBe("CRON-DONE:often from mock-1");
    await deleteTask(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await cronJobsOf(task)).length === 0, "the cron job to be removed");
  });

  it("edit, disable and delete take effect on the cron job", async () => {
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Ticker",
      schedule: "every 2h",
      timezone: "UTC",
      prompt: "CRON:tick",
    });
    await applied(device, doc, 1);
    expect((await cronJobsOf(task))[0]).toMatchObject({ enabled: true, schedule: { kind: "every", everyMs: 7_200_000 } });

    await editTask(device.engine, device.me, { taskDoc: doc, schedule: "cron 0 9 * * 1-5", timezone: "Europe/Paris", prompt: "CRON:weekday" });
    await applied(device, doc, 2);
    expect((await cronJobsOf(task))[0]).toMatchObject({
      schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Europe/Paris" },
      payload: { message: "CRON:weekday" },
    });

    await setTaskEnabled(device.engine, device.me, { taskDoc: doc, enabled: false });
    await applied(device, doc, 3);
    expect((await cronJobsOf(task))[0]?.enabled).toBe(false);

    await deleteTask(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await cronJobsOf(task)).length === 0, "the cron job to be removed");
  });

  it("a task whose model the gateway does not offer never becomes a cron job: the task shows why, and choosing an offered model schedules it", async () => {
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Sneaky",
      schedule: "every 2h",
      timezone: "UTC",
      prompt: "CRON:sneaky",
      model: "evil/unlisted" as ModelId,
    });
    await until(async () => (await taskOf(device, doc)).applied?.error !== undefined, "the gateway to refuse the task");
    expect((await taskOf(device, doc)).applied?.error).toMatch(/does not offer the model “evil\/unlisted”.*mock\/mock-1/);
    expect(await cronJobsOf(task)).toEqual([]);

    await editTask(device.engine, device.me, { taskDoc: doc, model: "mock/mock-1" as ModelId });
    await applied(device, doc, 2);
    expect((await cronJobsOf(task))[0]).toMatchObject({ payload: { kind: "agentTurn", model: "mock/mock-1" } });
    await deleteTask(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await cronJobsOf(task)).length === 0, "the cron job to be removed");
  });
});
