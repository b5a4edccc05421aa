import { getObjectId } from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { jobLogDocId, monthOf, ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import { str } from "../docs/Imm.js";
import type { AgentId, DocumentId, GatewayId, JobId, ModelId, RunId, RunRequestId } from "../docs/ids.js";
import type { JobLogDoc } from "../docs/JobLogDoc.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import { sortedMessages, winningRun } from "../docs/messageView.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { RootDoc } from "../docs/RootDoc.js";
import type { TaskDoc } from "../docs/TaskDoc.js";
import { gatewaysOf, latestJobs, taskView } from "../docs/workspaceViews.js";
import type { GatewayActor } from "./Actor.js";
import {
  claimMessage,
  consumeRunRequest,
  finishJob,
  markInterrupted,
  publishGateway,
  recordError,
  recordReply,
  recordTaskApplied,
  renewClaim,
  replyIdOf,
  startJob,
} from "./agentOps.js";
import { deleteChannel } from "./channelOps.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { createTask, deleteTask, editTask, requestRun } from "./taskOps.js";
import { retireGateways } from "./gatewayOps.js";
import { jobIdOf, runIdForRequest } from "./jobIds.js";
import { testDevice, testGateway, testWorkspace } from "./testWorkspace.js";

const T0 = 1_700_000_000_000;
const gatewayAt = (gateway: string, at: number): GatewayActor => ({ gateway: gateway as GatewayId, now: () => at });

async function withMessage(text = "hello") {
  const w = await testWorkspace();
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  return { ...w, message, target: { doc: w.page, message } };
}

async function page(store: MemoryDocStore, id: DocumentId): Promise<PageDoc> {
  return (await store.find<PageDoc>(id)).doc();
}

describe("claimMessage", () => {
  it("lets one run claim a message; the same run again is fine, another run is refused", async () => {
    const { store, target } = await withMessage();
    const gw = gatewayAt("gw-home", T0);
    expect(await claimMessage(store, gw, { ...target, runId: "r1" as RunId })).toBe(true);
    expect(await claimMessage(store, gw, { ...target, runId: "r1" as RunId })).toBe(true);
    expect(await claimMessage(store, gw, { ...target, runId: "r2" as RunId })).toBe(false);
    expect(await claimMessage(store, gatewayAt("gw-other", T0 + 1), { ...target, runId: "r3" as RunId })).toBe(false);
    const view = sortedMessages(await page(store, target.doc))[0]!;
    expect(view).toMatchObject({ status: "received", claim: { runId: "r1", by: "gw-home", at: T0 } });
  });

  it("two agents racing on copies of one message agree on a single winner after merging: the lowest (at, runId)", async () => {
    const { store: a, target } = await withMessage();
    const b = new MemoryDocStore();
    b.syncFrom(a);
    // Each instance claims on its own copy and believes it won.
    expect(await claimMessage(a, gatewayAt("gw-home", T0 + 50), { ...target, runId: "run-a" as RunId })).toBe(true);
    expect(await claimMessage(b, gatewayAt("gw-home", T0 + 20), { ...target, runId: "run-b" as RunId })).toBe(true);
    a.syncFrom(b);
    b.syncFrom(a);
    for (const store of [a, b]) {
      const m = (await page(store, target.doc)).messages[target.message]!;
      expect(str(winningRun(m)?.runId)).toBe("run-b");
      expect(Object.keys(m.runs!)).toHaveLength(2);
    }
    // The loser can no longer record; the winner can.
    expect(await recordReply(a, gatewayAt("gw-home", T0 + 60), { ...target, runId: "run-a" as RunId, text: "late" })).toEqual({
      ok: false,
      reason: "lost",
    });
    expect(await recordReply(a, gatewayAt("gw-home", T0 + 60), { ...target, runId: "run-b" as RunId, text: "winner" })).toMatchObject({
      ok: true,
    });
    expect(await claimMessage(a, gatewayAt("gw-home", T0 + 70), { ...target, runId: "run-a" as RunId })).toBe(false);
  });

  it("breaks a tie on time by run id", async () => {
    const { store: a, target } = await withMessage();
    const b = new MemoryDocStore();
    b.syncFrom(a);
    await claimMessage(a, gatewayAt("gw-home", T0), { ...target, runId: "zz" as RunId });
    await claimMessage(b, gatewayAt("gw-home", T0), { ...target, runId: "aa" as RunId });
    a.syncFrom(b);
    expect(str(winningRun((await page(a, target.doc)).messages[target.message]!)?.runId)).toBe("aa");
  });

  it("when both racing runs answered before merging, only the winner's reply shows", async () => {
    const { store: a, target } = await withMessage();
    const b = new MemoryDocStore();
    b.syncFrom(a);
    await claimMessage(a, gatewayAt("gw-home", T0 + 5), { ...target, runId: "run-a" as RunId });
    await recordReply(a, gatewayAt("gw-home", T0 + 6), { ...target, runId: "run-a" as RunId, text: "answer A" });
    await claimMessage(b, gatewayAt("gw-home", T0 + 1), { ...target, runId: "run-b" as RunId });
    await recordReply(b, gatewayAt("gw-home", T0 + 7), { ...target, runId: "run-b" as RunId, text: "answer B" });
    a.syncFrom(b);
    const views = sortedMessages(await page(a, target.doc));
    expect(views.map((m) => m.text)).toEqual(["hello", "answer B"]);
    expect(views[0]!.status).toBe("answered");
  });

  it("lets a new run take over a claim whose lease ran out, and not before", async () => {
    const { store, target } = await withMessage();
    await claimMessage(store, gatewayAt("gw-home", T0), { ...target, runId: "dead" as RunId });
    const early = gatewayAt("gw-home", T0 + 999);
    expect(await claimMessage(store, early, { ...target, runId: "new" as RunId }, { leaseMs: 1000 })).toBe(false);
    expect(await renewClaim(store, gatewayAt("gw-home", T0 + 900), { ...target, runId: "dead" as RunId })).toBe(true);
    expect(await claimMessage(store, gatewayAt("gw-home", T0 + 1500), { ...target, runId: "new" as RunId }, { leaseMs: 1000 })).toBe(false);
    expect(await claimMessage(store, gatewayAt("gw-home", T0 + 1900), { ...target, runId: "new" as RunId }, { leaseMs: 1000 })).toBe(true);
    const m = (await page(store, target.doc)).messages[target.message]!;
    expect(str(winningRun(m)?.runId)).toBe("new");
    expect(str(m.runs!["dead" as RunId]!.supersededBy)).toBe("new");
    // The presumed-dead run comes back: it may not answer any more.
    expect(await recordReply(store, gatewayAt("gw-home", T0 + 2000), { ...target, runId: "dead" as RunId, text: "zombie" })).toEqual({
      ok: false,
      reason: "lost",
    });
  });

  it("does not claim a message whose answer is settled", async () => {
    const { store, target } = await withMessage();
    const gw = testGateway();
    await claimMessage(store, gw, { ...target, runId: "r1" as RunId });
    await recordReply(store, gw, { ...target, runId: "r1" as RunId, text: "done" });
    expect(await claimMessage(store, gatewayAt("gw-home", T0 + 10 ** 9), { ...target, runId: "r2" as RunId })).toBe(false);
  });
});

describe("recordReply, recordError, markInterrupted", () => {
  it("records a reply with its model once, however often it is recorded", async () => {
    const { store, target } = await withMessage();
    const gw = testGateway();
    const runId = "r1" as RunId;
    await claimMessage(store, gw, { ...target, runId });
    const input = {
      ...target,
      runId,
      text: "Hi **there**",
      model: "demo/smart" as ModelId,
      reasoning: "greet back",
      tools: [{ name: "search", summary: "1 result" }],
    };
    const first = await recordReply(store, gw, input);
    const second = await recordReply(store, gw, input);
    expect(first).toEqual({ ok: true, reply: replyIdOf(target.message, runId), written: true });
    expect(second).toEqual({ ok: true, reply: replyIdOf(target.message, runId), written: false });
    const views = sortedMessages(await page(store, target.doc));
    expect(views).toHaveLength(2);
    expect(views[0]!.status).toBe("answered");
    expect(views[1]).toMatchObject({
      role: "agent",
      text: "Hi **there**",
      model: "demo/smart",
      gateway: "gw-home",
      replyTo: target.message,
      run: runId,
      reasoning: "greet back",
      tools: [{ name: "search", summary: "1 result" }],
      status: "answered",
    });
  });

  it("refuses to record for a run that never claimed", async () => {
    const { store, target } = await withMessage();
    expect(await recordReply(store, testGateway(), { ...target, runId: "ghost" as RunId, text: "x" })).toEqual({
      ok: false,
      reason: "not-claimed",
    });
    expect(await recordError(store, testGateway(), { ...target, runId: "ghost" as RunId, reason: "x" })).toBe(false);
  });

  it("an error or an interruption ends the run once; a reply after it is refused", async () => {
    const { store, target } = await withMessage();
    const gw = testGateway();
    const runId = "r1" as RunId;
    await claimMessage(store, gw, { ...target, runId });
    expect(await markInterrupted(store, gw, { ...target, runId, reason: "gateway restarted" })).toBe(true);
    expect(await markInterrupted(store, gw, { ...target, runId })).toBe(true);
    expect(await recordError(store, gw, { ...target, runId, reason: "x" })).toBe(false);
    expect(await recordReply(store, gw, { ...target, runId, text: "late" })).toEqual({ ok: false, reason: "finished" });
    expect(sortedMessages(await page(store, target.doc))[0]).toMatchObject({ status: "interrupted", error: "gateway restarted" });
  });

  it("a reply in a thread counts on the parent message", async () => {
    const w = await withMessage("parent");
    const gw = testGateway();
    const inThread = await replyInThread(w.store, w.me, { pageDoc: w.page, message: w.message, text: "question" });
    await claimMessage(w.store, gw, { doc: inThread.doc, message: inThread.message, runId: "t1" as RunId });
    await recordReply(w.store, gw, { doc: inThread.doc, message: inThread.message, runId: "t1" as RunId, text: "answer" });
    expect(sortedMessages(await page(w.store, w.page))[0]!.thread?.replies).toBe(2);
  });

  it("two runs that raced and both answered in a thread count as one reply on the parent, as one shows", async () => {
    const w = await withMessage("parent");
    const inThread = await replyInThread(w.store, w.me, { pageDoc: w.page, message: w.message, text: "question" });
    const target = { doc: inThread.doc, message: inThread.message };
    const b = new MemoryDocStore();
    b.syncFrom(w.store);
    await claimMessage(w.store, gatewayAt("gw-home", T0 + 5), { ...target, runId: "run-a" as RunId });
    await recordReply(w.store, gatewayAt("gw-home", T0 + 6), { ...target, runId: "run-a" as RunId, text: "answer A" });
    await claimMessage(b, gatewayAt("gw-home", T0 + 1), { ...target, runId: "run-b" as RunId });
    await recordReply(b, gatewayAt("gw-home", T0 + 7), { ...target, runId: "run-b" as RunId, text: "answer B" });
    w.store.syncFrom(b);
    const thread = sortedMessages((await w.store.find<PageDoc>(inThread.doc)).doc());
    expect(thread.map((m) => m.text)).toEqual(["question", "answer B"]);
    expect(sortedMessages(await page(w.store, w.page))[0]!.thread?.replies).toBe(thread.length);
  });
});

describe("publishGateway", () => {
  it("publishes agents and models into the root, rewriting lists only when they change", async () => {
    const store = new MemoryDocStore();
    const info = {
      name: "Home",
      agents: [{ id: "main" as AgentId, name: "Main" }],
      models: [{ id: "demo/fast" as ModelId, name: "Fast" }, { id: "demo/smart" as ModelId }],
      defaultModel: "demo/fast" as ModelId,
    };
    await publishGateway(store, gatewayAt("gw-home", T0), info);
    const root = await store.find<RootDoc>(ROOT_DOC_ID);
    expect(gatewaysOf(root.doc())).toEqual([{ id: "gw-home", lastSeen: T0, ...info }]);
    const before = (root.doc().gateways["gw-home" as GatewayId]!.agents as unknown[])[0];
    await publishGateway(store, gatewayAt("gw-home", T0 + 5), info);
    expect(gatewaysOf(root.doc())[0]!.lastSeen).toBe(T0 + 5);
    expect((root.doc().gateways["gw-home" as GatewayId]!.agents as unknown[])[0]).toEqual(before);
    await publishGateway(store, gatewayAt("gw-home", T0 + 9), { ...info, models: [], defaultModel: undefined as unknown as ModelId });
    expect(gatewaysOf(root.doc())[0]).toMatchObject({ models: [] });
    expect(gatewaysOf(root.doc())[0]!.defaultModel).toBeUndefined();
  });

  it("publishes at most 50 skills, each name and description cut to one line of 200 characters; none leaves no list", async () => {
    const store = new MemoryDocStore();
    const info = { name: "Home", agents: [{ id: "main" as AgentId, name: "Main" }], models: [] };
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `skill-${i}`, description: i === 0 ? `first\nline ${"x".repeat(300)}` : "Does a thing." }));
    await publishGateway(store, gatewayAt("gw-home", T0), { ...info, skills: many });
    const root = await store.find<RootDoc>(ROOT_DOC_ID);
    const skills = gatewaysOf(root.doc())[0]!.skills!;
    expect(skills).toHaveLength(50);
    expect(skills[0]!.description).toMatch(/^first line x+…$/);
    expect([...skills[0]!.description]).toHaveLength(200);
    expect(skills[49]).toEqual({ name: "skill-49", description: "Does a thing." });
    const listId = () => getObjectId(root.doc().gateways["gw-home" as GatewayId]!, "skills");
    const before = listId();
    await publishGateway(store, gatewayAt("gw-home", T0 + 1), { ...info, skills: many });
    expect(listId()).toBe(before);
    await publishGateway(store, gatewayAt("gw-home", T0 + 2), { ...info, skills: [] });
    expect(gatewaysOf(root.doc())[0]!.skills).toBeUndefined();
  });

  it("a gateway whose pairing token is revoked is retired (kept, not offered); connecting again with a new token brings it back", async () => {
    const store = new MemoryDocStore();
    const info = { name: "Home", agents: [{ id: "main" as AgentId, name: "Main" }], models: [] };
    await publishGateway(store, gatewayAt("gw-home", T0), { ...info, token: "d_token_one" });
    await publishGateway(store, gatewayAt("gw-other", T0), { ...info, name: "Other", token: "d_token_two" });
    const me = testDevice(1);
    expect(await retireGateways(store, { ...me, now: () => T0 + 1 }, { token: "d_token_one" })).toEqual(["gw-home"]);
    expect(await retireGateways(store, me, { token: "d_token_one" })).toEqual([]);
    const root = await store.find<RootDoc>(ROOT_DOC_ID);
    expect(gatewaysOf(root.doc()).map((g) => [g.id, g.retired])).toEqual([
      ["gw-home", T0 + 1],
      ["gw-other", undefined],
    ]);
    await publishGateway(store, gatewayAt("gw-home", T0 + 5), { ...info, token: "d_token_three" });
    expect(gatewaysOf(root.doc())[0]).toMatchObject({ id: "gw-home", token: "d_token_three" });
    expect(gatewaysOf(root.doc())[0]!.retired).toBeUndefined();
  });
});

describe("tasks on the agent side", () => {
  async function withTask() {
    const w = await testWorkspace();
    const t = await createTask(w.store, w.me, { channelDoc: w.channelDoc, name: "Digest", schedule: "every 30m", timezone: "UTC", prompt: "Summarise" });
    return { ...w, ...t };
  }

  it("records the applied revision; a later edit makes the task pending again", async () => {
    const w = await withTask();
    const gw = testGateway();
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 1, cronJobId: "cron-7" });
    let view = taskView((await w.store.find<TaskDoc>(w.doc)).doc());
    expect(view).toMatchObject({ revision: 1, pendingApply: false, applied: { revision: 1, cronJobId: "cron-7", by: "gw-home" } });
    await editTask(w.store, w.me, { taskDoc: w.doc, prompt: "Summarise briefly" });
    view = taskView((await w.store.find<TaskDoc>(w.doc)).doc());
    expect(view).toMatchObject({ revision: 2, pendingApply: true, prompt: "Summarise briefly" });
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 2, error: "bad cron" });
    expect(taskView((await w.store.find<TaskDoc>(w.doc)).doc()).applied).toMatchObject({ revision: 2, error: "bad cron" });
  });

  it("a deleted task that was scheduled is tombstoned once its gateway removed the job", async () => {
    const w = await withTask();
    const gw = testGateway();
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 1, cronJobId: "cron-7" });
    await deleteTask(w.store, w.me, { taskDoc: w.doc });
    expect(w.store.has(w.doc)).toBe(true);
    const t = (await w.store.find<TaskDoc>(w.doc)).doc();
    expect(taskView(t)).toMatchObject({ revision: 2, pendingApply: true });
    expect(t.deleted).toBeDefined();
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 2 });
    expect(w.store.has(w.doc)).toBe(false);
    expect((await w.store.find<ChannelDoc>(w.channelDoc)).doc().tasks[w.task]!.purged).toBeDefined();
  });

  it("a task never scheduled is tombstoned at once when deleted", async () => {
    const w = await withTask();
    await deleteTask(w.store, w.me, { taskDoc: w.doc });
    expect(w.store.has(w.doc)).toBe(false);
  });

  it("a deleted channel keeps its scheduled task until the gateway removed the job, then goes", async () => {
    const w = await withTask();
    const gw = testGateway();
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 1, cronJobId: "cron-7" });
    await deleteChannel(w.store, w.me, { channel: w.channel });
    expect(w.store.has(w.channelDoc)).toBe(true);
    expect(w.store.has(w.page)).toBe(false);
    await recordTaskApplied(w.store, gw, { taskDoc: w.doc, revision: 2 });
    expect(w.store.has(w.doc)).toBe(false);
    expect(w.store.has(w.channelDoc)).toBe(false);
  });

  it("consumes a run-now request once and records its job once, in the month's job log", async () => {
    const w = await withTask();
    const request = await requestRun(w.store, w.me, { taskDoc: w.doc });
    const gw = gatewayAt("gw-home", Date.UTC(2025, 2, 31, 23, 0));
    const job = jobIdOf(w.task, runIdForRequest(request));
    expect(await consumeRunRequest(w.store, gw, { taskDoc: w.doc, request, job })).toBe(true);
    expect(await consumeRunRequest(w.store, gw, { taskDoc: w.doc, request, job })).toBe(false);
    await expect(consumeRunRequest(w.store, gw, { taskDoc: w.doc, request: "nope" as RunRequestId })).rejects.toMatchObject({ code: "not-found" });

    const started = await startJob(w.store, gw, { taskDoc: w.doc, job, request, model: "demo/fast" as ModelId });
    expect(started).toEqual({ doc: jobLogDocId(w.task, "2025-03"), job, started: true });
    expect((await startJob(w.store, gw, { taskDoc: w.doc, job })).started).toBe(false);
    const channel = (await w.store.find<ChannelDoc>(w.channelDoc)).doc();
    expect(str(channel.tasks[w.task]!.jobLogs["2025-03"]!)).toBe(started.doc);

    const finishedAt = Date.UTC(2025, 3, 1, 0, 0, 2);
    expect(await finishJob(w.store, gw, { doc: started.doc, job, status: "ok", finishedAt, summary: "3 items", output: "# News" })).toBe(true);
    expect(await finishJob(w.store, gw, { doc: started.doc, job, status: "error", error: "again" })).toBe(false);
    const log = (await w.store.find<JobLogDoc>(started.doc)).doc();
    expect(latestJobs([log])).toEqual([
      {
        id: job,
        status: "ok",
        by: "gw-home",
        startedAt: Date.UTC(2025, 2, 31, 23, 0),
        finishedAt,
        durationMs: finishedAt - Date.UTC(2025, 2, 31, 23, 0),
        summary: "3 items",
        output: "# News",
        model: "demo/fast",
        request,
      },
    ]);
  });

  it("lists the latest jobs across months, newest first", async () => {
    const w = await withTask();
    const gw = testGateway();
    const docs = new Set<DocumentId>();
    for (const [i, at] of [Date.UTC(2025, 0, 5), Date.UTC(2025, 1, 5), Date.UTC(2025, 1, 6)].entries()) {
      docs.add((await startJob(w.store, gw, { taskDoc: w.doc, job: `j${i}` as JobId, startedAt: at })).doc);
    }
    expect(docs.size).toBe(2);
    expect(monthOf(Date.UTC(2025, 1, 6))).toBe("2025-02");
    const logs = await Promise.all([...docs].map(async (id) => (await w.store.find<JobLogDoc>(id)).doc()));
    expect(latestJobs(logs, 2).map((j) => j.id)).toEqual(["j2", "j1"]);
  });
});
