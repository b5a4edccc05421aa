import { describe, expect, it } from "vitest";
import {
  createTask,
  deleteTask,
  editTask,
  requestRun,
  setTaskEnabled,
  taskView,
  type AgentId,
  type DocumentId,
  type TaskDoc,
  type TaskId,
} from "@botschat/model";
import { testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import type { RunGate, ScheduledTask, Scheduler, SchedulerRunEvent } from "./Scheduler.js";
import { TaskApplier } from "./TaskApplier.js";
import { jobsOf, testPorts, type TestPorts } from "./testPorts.js";

/** A scheduler that holds tasks and writes down what it was asked. */
class RecordingScheduler implements Scheduler {
  readonly calls: string[] = [];
  readonly held = new Map<TaskId, ScheduledTask>();
  /** Set: `upsert` refuses every task with this message. */
  refuse: string | undefined;
  setRunGate?: (gate: RunGate) => void;

  constructor(options: { gate: boolean }) {
    if (options.gate) this.setRunGate = () => undefined;
  }

  upsert(task: ScheduledTask): Promise<{ jobId: string }> {
    this.calls.push(`upsert ${task.enabled ? "enabled" : "paused"}`);
    if (this.refuse !== undefined) return Promise.reject(new Error(this.refuse));
    this.held.set(task.id, task);
    return Promise.resolve({ jobId: `job-${task.id}` });
  }

  setEnabled(task: TaskId, enabled: boolean): Promise<boolean> {
    this.calls.push(`setEnabled ${enabled}`);
    const t = this.held.get(task);
    if (t !== undefined) t.enabled = enabled;
    return Promise.resolve(t !== undefined);
  }

  remove(task: TaskId): Promise<void> {
    this.calls.push("remove");
    this.held.delete(task);
    return Promise.resolve();
  }

  runNow(task: TaskId, runId: string): Promise<boolean> {
    this.calls.push(`runNow ${runId}`);
    return Promise.resolve(this.held.has(task));
  }

  onRun(_listener: (event: SchedulerRunEvent) => void): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function applier(w: TestWorkspace, options: { gate?: boolean; instance?: string } = {}): { tasks: TaskApplier; scheduler: RecordingScheduler; t: TestPorts } {
  const t = testPorts(w.store, options.instance === undefined ? {} : { instance: options.instance });
  const scheduler = new RecordingScheduler({ gate: options.gate ?? true });
  return { tasks: new TaskApplier({ ...t.ports, scheduler, agents: () => ["main" as AgentId] }), scheduler, t };
}

async function digest(w: TestWorkspace): Promise<{ task: TaskId; doc: DocumentId }> {
  return createTask(w.store, w.me, { channelDoc: w.channelDoc, name: "Digest", schedule: "every 1h", timezone: "UTC", prompt: "Summarise" });
}

const viewOf = async (w: TestWorkspace, doc: DocumentId) => taskView((await w.store.find<TaskDoc>(doc)).doc());

describe("the task applier", () => {
  it("gives the scheduler a new task and records the applied revision with the scheduler's job id, once", async () => {
    const w = await testWorkspace();
    const { tasks, scheduler, t } = applier(w);
    const { task, doc } = await digest(w);
    await tasks.applyAll();
    await tasks.applyAll();

    expect(scheduler.calls).toEqual(["upsert enabled"]);
    expect(scheduler.held.get(task)).toMatchObject({
      name: "Digest",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "Summarise",
      agentId: "main",
      enabled: true,
    });
    expect(await viewOf(w, doc)).toMatchObject({ pendingApply: false, applied: { revision: 1, cronJobId: `job-${task}`, by: "gw-home" } });
    expect(t.activity).toEqual([{ type: "task-applied", task, revision: 1, name: "Digest", schedule: "every 1h", state: "scheduled" }]);
    expect(tasks.docOf(task)).toBe(doc);
    expect(tasks.nameOf(task)).toBe("Digest");
  });

  it("pauses a paused task on the scheduler without upserting it, and upserts an edited one again", async () => {
    const w = await testWorkspace();
    const { tasks, scheduler, t } = applier(w);
    const { doc } = await digest(w);
    await tasks.applyAll();
    await setTaskEnabled(w.store, w.me, { taskDoc: doc, enabled: false });
    await tasks.applyAll();
    await editTask(w.store, w.me, { taskDoc: doc, prompt: "Summarise the news" });
    await tasks.applyAll();

    expect(scheduler.calls).toEqual(["upsert enabled", "setEnabled false", "upsert paused"]);
    expect((await viewOf(w, doc)).applied?.revision).toBe(3);
    expect(t.activity.map((a) => a.type === "task-applied" && [a.revision, a.state])).toEqual([
      [1, "scheduled"],
      [2, "paused"],
      [3, "paused"],
    ]);
  });

  it("removes a deleted task from the scheduler and records the removal, which deletes the task", async () => {
    const w = await testWorkspace();
    const { tasks, scheduler, t } = applier(w);
    const { task, doc } = await digest(w);
    await tasks.applyAll();
    await deleteTask(w.store, w.me, { taskDoc: doc });
    await tasks.applyAll();

    expect(scheduler.calls).toEqual(["upsert enabled", "remove"]);
    expect(scheduler.held.has(task)).toBe(false);
    await expect(w.store.find(doc)).rejects.toThrow(/deleted/);
    expect(t.activity.at(-1)).toMatchObject({ type: "task-applied", task, revision: 2, state: "removed" });
  });

  it("records a task the scheduler refuses as an error on that revision", async () => {
    const w = await testWorkspace();
    const { tasks, scheduler, t } = applier(w);
    scheduler.refuse = "cannot schedule that";
    const { doc } = await digest(w);
    await tasks.applyAll();
    await tasks.applyAll();

    expect(scheduler.calls).toEqual(["upsert enabled"]);
    expect(await viewOf(w, doc)).toMatchObject({ pendingApply: false, applied: { revision: 1, error: "cannot schedule that" } });
    expect(t.activity).toEqual([expect.objectContaining({ type: "task-applied", error: "cannot schedule that", state: "paused" })]);
  });

  it("runs a run-now request once, under `now:<request>`; one for a task the scheduler does not hold becomes a failed job", async () => {
    const w = await testWorkspace();
    const { tasks, scheduler } = applier(w);
    const { task, doc } = await digest(w);
    const request = await requestRun(w.store, w.me, { taskDoc: doc });
    await tasks.runRequest(doc, request);
    await tasks.runRequest(doc, request);
    expect(scheduler.calls).toEqual(["upsert enabled", `runNow now:${request}`]);
    expect((await viewOf(w, doc)).pendingRuns).toBe(0);

    scheduler.held.clear();
    const second = await requestRun(w.store, w.me, { taskDoc: doc });
    await tasks.runRequest(doc, second);
    expect(await jobsOf(w.store, w.channelDoc, task)).toEqual([
      expect.objectContaining({ status: "error", error: "The task is not scheduled on this gateway.", request: second }),
    ]);
  });

  it("with a run gate every instance schedules every task; without one, a task another instance applied is left to it", async () => {
    for (const gate of [true, false]) {
      const w = await testWorkspace();
      const a = applier(w, { gate, instance: "i-a" });
      const b = applier(w, { gate, instance: "i-b" });
      await b.tasks.applyAll();
      await digest(w);
      await a.tasks.applyAll();
      await b.tasks.applyAll();
      expect(a.scheduler.calls, `gate: ${gate}`).toEqual(["upsert enabled"]);
      expect(b.scheduler.calls, `gate: ${gate}`).toEqual(gate ? ["upsert enabled"] : []);
    }
  });
});
