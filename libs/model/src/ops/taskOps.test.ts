import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { AgentId, ModelId } from "../docs/ids.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { TaskDoc } from "../docs/TaskDoc.js";
import { tasksOf, taskView } from "../docs/workspaceViews.js";
import { recordTaskApplied } from "./agentOps.js";
import { createTask, deleteTask, editTask, requestRun, setTaskEnabled } from "./taskOps.js";
import { testDevice, testGateway, testWorkspace } from "./testWorkspace.js";

const digest = { name: "Digest", schedule: "at 09:00", timezone: "Europe/Paris", prompt: "Summarise the news" };

describe("task operations", () => {
  it("create a task at revision 1 bound to the channel's agent, listed on the channel", async () => {
    const w = await testWorkspace();
    const { task, doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, model: "demo/fast" as ModelId });
    const view = taskView((await w.store.find<TaskDoc>(doc)).doc());
    expect(view).toMatchObject({ ...digest, id: task, agentId: "main", enabled: true, revision: 1, pendingApply: true, pendingRuns: 0, model: "demo/fast" });
    expect(tasksOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())).toMatchObject([{ id: task, doc, jobLogs: [] }]);
  });

  it("refuse a schedule that does not parse and an empty name", async () => {
    const w = await testWorkspace();
    await expect(createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, schedule: "sometimes" })).rejects.toMatchObject({ code: "invalid" });
    await expect(createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, name: "" })).rejects.toMatchObject({ code: "invalid" });
  });

  it("refuse a time zone that does not exist, on creation and on edit", async () => {
    const w = await testWorkspace();
    await expect(createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, timezone: "Mars/Olympus" })).rejects.toMatchObject({
      code: "invalid",
      message: "unknown time zone “Mars/Olympus”",
    });
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    await expect(editTask(w.store, w.me, { taskDoc: doc, timezone: "Europe/Berln" })).rejects.toMatchObject({
      code: "invalid",
      message: "unknown time zone “Europe/Berln”",
    });
    expect(await editTask(w.store, w.me, { taskDoc: doc, timezone: "Asia/Tokyo" })).toBe(true);
  });

  it("edit, enable and disable bump the revision only when something changes", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    expect(await editTask(w.store, w.me, { taskDoc: doc, name: "Digest" })).toBe(false);
    expect(await editTask(w.store, w.me, { taskDoc: doc, schedule: "cron 0 9 * * 1-5", agentId: "other" as AgentId })).toBe(true);
    expect(await setTaskEnabled(w.store, w.me, { taskDoc: doc, enabled: true })).toBe(false);
    expect(await setTaskEnabled(w.store, w.me, { taskDoc: doc, enabled: false })).toBe(true);
    expect(await editTask(w.store, w.me, { taskDoc: doc, model: "demo/smart" as ModelId })).toBe(true);
    expect(await editTask(w.store, w.me, { taskDoc: doc, model: null })).toBe(true);
    const view = taskView((await w.store.find<TaskDoc>(doc)).doc());
    expect(view).toMatchObject({ schedule: "cron 0 9 * * 1-5", agentId: "other", enabled: false, revision: 5 });
    expect(view.model).toBeUndefined();
  });

  it("concurrent edits on two devices merge the prompt and leave a revision the gateway has not applied", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, prompt: "Summarise the news" });
    await recordTaskApplied(w.store, testGateway(), { taskDoc: doc, revision: 1 });
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    await editTask(w.store, w.me, { taskDoc: doc, prompt: "Summarise the tech news" });
    await editTask(phone, testDevice(2), { taskDoc: doc, prompt: "Summarise the news briefly" });
    // The gateway saw the laptop's edit and applied revision 2 before the phone's arrived.
    await recordTaskApplied(w.store, testGateway(), { taskDoc: doc, revision: 2 });
    w.store.syncFrom(phone);
    const view = taskView((await w.store.find<TaskDoc>(doc)).doc());
    expect(view.prompt).toBe("Summarise the tech news briefly");
    expect(view.revision).toBe(3);
    expect(view.pendingApply).toBe(true);
  });

  it("a prompt saved with the heads its editor opened at keeps another device's edit that arrived meanwhile", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, prompt: "Summarise the news" });
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    const opened = taskView((await w.store.find<TaskDoc>(doc)).doc()).heads;
    await editTask(phone, testDevice(2), { taskDoc: doc, prompt: "Summarise the news in French" });
    w.store.syncFrom(phone);
    expect(await editTask(w.store, w.me, { taskDoc: doc, prompt: "Please summarise the news", name: "French digest", base: opened })).toBe(true);
    const view = taskView((await w.store.find<TaskDoc>(doc)).doc());
    expect(view).toMatchObject({ prompt: "Please summarise the news in French", name: "French digest", revision: 3 });
    phone.syncFrom(w.store);
    expect((await phone.find<TaskDoc>(doc)).doc().prompt).toBe("Please summarise the news in French");
  });

  it("without those heads the same save overwrites the other device's edit (why `base` exists)", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, prompt: "Summarise the news" });
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    await editTask(phone, testDevice(2), { taskDoc: doc, prompt: "Summarise the news in French" });
    w.store.syncFrom(phone);
    await editTask(w.store, w.me, { taskDoc: doc, prompt: "Please summarise the news" });
    expect((await w.store.find<TaskDoc>(doc)).doc().prompt).toBe("Please summarise the news");
  });

  it("a save whose prompt is what the editor opened with leaves the prompt alone and bumps nothing", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest, prompt: "Summarise the news" });
    const phone = new MemoryDocStore();
    phone.syncFrom(w.store);
    const opened = taskView((await w.store.find<TaskDoc>(doc)).doc()).heads;
    await editTask(phone, testDevice(2), { taskDoc: doc, prompt: "Summarise the news in French" });
    w.store.syncFrom(phone);
    expect(await editTask(w.store, w.me, { taskDoc: doc, prompt: "Summarise the news", base: opened })).toBe(false);
    expect(taskView((await w.store.find<TaskDoc>(doc)).doc())).toMatchObject({ prompt: "Summarise the news in French", revision: 2 });
  });

  it("refuse an edit based on heads the task document does not have", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    const elsewhere = taskView((await w.store.find<TaskDoc>((await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest })).doc)).doc()).heads;
    await expect(editTask(w.store, w.me, { taskDoc: doc, prompt: "x", base: elsewhere })).rejects.toMatchObject({ code: "invalid" });
    await expect(editTask(w.store, w.me, { taskDoc: doc, prompt: "x", base: [] })).rejects.toMatchObject({ code: "invalid" });
  });

  it("the view carries the document's heads", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    const handle = await w.store.find<TaskDoc>(doc);
    expect(taskView(handle.doc()).heads).toEqual(A.getHeads(handle.doc()));
    expect(taskView(handle.doc()).heads).toHaveLength(1);
  });

  it("request runs: each request has its own id and counts until consumed", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    const a = await requestRun(w.store, w.me, { taskDoc: doc });
    const b = await requestRun(w.store, w.me, { taskDoc: doc });
    expect(a).not.toBe(b);
    expect(taskView((await w.store.find<TaskDoc>(doc)).doc()).pendingRuns).toBe(2);
  });

  it("a deleted task refuses edits and disappears from the channel's list", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...digest });
    await recordTaskApplied(w.store, testGateway(), { taskDoc: doc, revision: 1, cronJobId: "c1" });
    await deleteTask(w.store, w.me, { taskDoc: doc });
    await expect(editTask(w.store, w.me, { taskDoc: doc, name: "x" })).rejects.toMatchObject({ code: "deleted" });
    await expect(requestRun(w.store, w.me, { taskDoc: doc })).rejects.toMatchObject({ code: "deleted" });
    expect(tasksOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())).toEqual([]);
  });
});
