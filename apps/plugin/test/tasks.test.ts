import { describe, expect, it } from "vitest";
import {
  createTask,
  deleteTask,
  editTask,
  imm,
  requestRun,
  setTaskEnabled,
  sortedMessages,
  str,
  taskView,
  toPlain,
  type ChannelDoc,
  type DocumentId,
  type PageDoc,
  type TaskDoc,
} from "@botschat/model";
import { memoryRelayForFile } from "./relayForFile.js";
import { taskSessionId } from "@botschat/model";
import type { AgentPeer } from "../src/AgentPeer.js";
import type { DemoScheduler } from "../src/DemoScheduler.js";
import { channelWithSession, jobsOf, startAgent, startDevice, streamedJobs, until, type Device } from "./workspace.js";

// The relay is only the transport here: MemoryRelay.
const fx = memoryRelayForFile();

async function setup(delayMs = 0): Promise<{ device: Device; peer: AgentPeer; scheduler: DemoScheduler; channelDoc: DocumentId }> {
  const device = await startDevice(fx.on);
  fx.stops.push(() => device.stop());
  const { peer, scheduler } = await startAgent(device, { delayMs });
  fx.stops.push(() => peer.stop());
  const { channel } = await channelWithSession(device);
  return { device, peer, scheduler, channelDoc: channel.doc };
}

const taskOf = async (device: Device, doc: DocumentId) => taskView((await device.engine.find<TaskDoc>(doc)).doc());

describe("background tasks of the demo agent through the relay", () => {
  it("a task created on the device is scheduled, runs every second, and its jobs appear with output streamed then recorded", async () => {
    const { device, channelDoc } = await setup();
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Ticker",
      schedule: "every 1s",
      timezone: "UTC",
      prompt: "Summarise the news",
    });
    await until(async () => !(await taskOf(device, doc)).pendingApply, "the task to be applied");
    expect((await taskOf(device, doc)).applied).toMatchObject({ revision: 1, cronJobId: `demo:${task}`, by: "gw-test" });

    const finished = async () => (await jobsOf(device, channelDoc, task)).filter((j) => str(j.status) === "ok");
    await until(async () => (await finished()).length >= 2, "two finished jobs", 8000);
    const [job] = await finished();
    expect(str(job!.output)).toContain("## Demo reply");
    expect(str(job!.summary)).toBe("Demo reply");
    expect(str(job!.model)).toBe("demo/smart");
    expect(job!.durationMs).toBeGreaterThanOrEqual(0);
    expect(job!.finishedAt).toBeGreaterThanOrEqual(job!.startedAt);
    expect(streamedJobs(device, str(job!.id)).some((s) => s.text !== "")).toBe(true);
  });

  it("a job's conversation is written as a session of its task: the prompt, then the output, readable like any session", async () => {
    const { device, peer, channelDoc } = await setup();
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Digest",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "Summarise the news",
    });
    await until(async () => !(await taskOf(device, doc)).pendingApply, "the task to be applied");
    await requestRun(device.engine, device.me, { taskDoc: doc });
    await until(
      async () => (await jobsOf(device, channelDoc, task)).some((j) => str(j.status) === "ok" && j.session !== undefined),
      "the job with its conversation",
    );
    const [job] = await jobsOf(device, channelDoc, task);
    const page = str(job!.session)!;
    await until(() => device.engine.has(page), "the conversation's page on the device");
    const messages = sortedMessages((await device.engine.find<PageDoc>(page)).doc());
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["system", "Summarise the news"],
      ["agent", str(job!.output)],
    ]);
    expect(messages[1]!.model).toBe("demo/smart");

    // The session belongs to the task's channel, named after the task, out of the way of the tabs.
    const entry = (await device.engine.find<ChannelDoc>(channelDoc)).doc().sessions[taskSessionId(task)];
    expect(toPlain(entry)).toMatchObject({ title: "Task: Digest", archived: true });
    expect(Object.values(entry!.pages).map(str)).toContain(page);
    expect(peer.activeRuns()).toEqual([]); // the prompt in the session is not a message to answer
  });

  it("edit, disable, run now and delete take effect on the scheduler and in the job history", async () => {
    const { device, scheduler, channelDoc } = await setup();
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Hourly",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "Summarise",
    });
    await until(async () => !(await taskOf(device, doc)).pendingApply, "revision 1 applied");
    // The first tick comes an hour after the task was created, on every instance alike.
    const createdAt = (await device.engine.find<TaskDoc>(doc)).doc().createdAt;
    expect(scheduler.nextRun(task)?.getTime()).toBe(createdAt + 3_600_000);

    await editTask(device.engine, device.me, { taskDoc: doc, prompt: "what is the weather like?" });
    await until(async () => (await taskOf(device, doc)).applied?.revision === 2, "the edit applied");

    await setTaskEnabled(device.engine, device.me, { taskDoc: doc, enabled: false });
    await until(async () => (await taskOf(device, doc)).applied?.revision === 3, "the disable applied");
    expect(scheduler.nextRun(task)).toBeNull();

    const request = await requestRun(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await jobsOf(device, channelDoc, task)).some((j) => str(j.status) === "ok"), "the run-now job");
    const jobs = await jobsOf(device, channelDoc, task);
    expect(jobs).toHaveLength(1);
    expect(str(jobs[0]!.output)).toContain("I looked it up");
    expect(toPlain((await device.engine.find<TaskDoc>(doc)).doc().runRequests[request]!.consumed)).toMatchObject({ by: "gw-test", job: str(jobs[0]!.id) });

    await setTaskEnabled(device.engine, device.me, { taskDoc: doc, enabled: true });
    await until(async () => (await taskOf(device, doc)).applied?.revision === 4, "the enable applied");
    expect(scheduler.nextRun(task)).not.toBeNull();

    await deleteTask(device.engine, device.me, { taskDoc: doc });
    await until(async () => (await device.engine.find<ChannelDoc>(channelDoc)).doc().tasks[task]?.purged !== undefined, "the task purged");
    expect(scheduler.nextRun(task)).toBeNull();
    expect(await scheduler.runNow(task, "now:after-delete")).toBe(false);
  });

  it("a job still running when the agent stops is recorded as an error, never left running", async () => {
    const { device, peer, channelDoc } = await setup(20);
    const { task, doc } = await createTask(device.engine, device.me, {
      channelDoc,
      name: "Long",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "tell me a long story",
    });
    await until(async () => !(await taskOf(device, doc)).pendingApply, "the task to be applied");
    await requestRun(device.engine, device.me, { taskDoc: doc });
    await until(() => streamedJobs(device).some((s) => s.text !== ""), "the job's output to stream");
    await peer.stop();
    await until(async () => (await jobsOf(device, channelDoc, task)).some((j) => str(j.status) === "error"), "the job ended as an error");
    // One job: the run-now's. (An `every 1h` task used to tick a second after it was scheduled,
    // which under load added a second record; ticks now count from the task's creation.)
    const jobs = await jobsOf(device, channelDoc, task);
    expect(jobs).toHaveLength(1);
    expect(str(jobs[0]!.status)).toBe("error");
    expect(str(jobs[0]!.error)).toBe("the scheduler stopped");
  });

  it("a schedule the scheduler cannot use is recorded on the task as an error", async () => {
    const { device, channelDoc } = await setup();
    const { doc } = await createTask(device.engine, device.me, { channelDoc, name: "Bad zone", schedule: "at 09:00", timezone: "UTC", prompt: "x" });
    // editTask refuses a zone this runtime does not know; a device whose runtime knows more zones
    // than the gateway's can still write one, as this does.
    (await device.engine.find<TaskDoc>(doc)).change((d) => {
      d.timezone = imm("Mars/Olympus");
      d.revision.increment(1);
    });
    await until(async () => {
      const t = await taskOf(device, doc);
      return t.revision === 2 && !t.pendingApply;
    }, "the task's new time zone to be applied");
    expect(String((await taskOf(device, doc)).applied?.error)).toMatch(/cannot schedule/);
  });
});
