import { describe, expect, it } from "vitest";
import type { AgentId, GatewayId, ModelId, RunId } from "../docs/ids.js";
import { claimMessage, consumeRunRequest, recordReply, recordTaskApplied } from "./agentOps.js";
import { createChannel, deleteChannel } from "./channelOps.js";
import { findOpenRuns, findPendingMessages, findRunRequests, findTasksToApply } from "./findWork.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { createSession, setSessionModel } from "./sessionOps.js";
import { createTask, deleteTask, requestRun } from "./taskOps.js";
import { testGateway, testWorkspace } from "./testWorkspace.js";

const home = "gw-home" as GatewayId;

describe("finding work for a gateway", () => {
  it("lists unclaimed person's messages in its channels, on pages and in threads, oldest first", async () => {
    const w = await testWorkspace();
    const other = await createChannel(w.store, w.me, { name: "Elsewhere", gateway: "gw-other" as GatewayId, agentId: "main" as AgentId });
    const otherSession = await createSession(w.store, w.me, { channelDoc: other.doc, title: "x" });
    await sendMessage(w.store, w.me, { channelDoc: other.doc, session: otherSession.session, text: "not for home" });
    await setSessionModel(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, model: "demo/smart" as ModelId });
    const first = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "one" });
    const second = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "two" });
    const inThread = await replyInThread(w.store, w.me, { pageDoc: w.page, message: first.message, text: "three", model: "demo/fast" as ModelId });
    const gw = testGateway();
    await claimMessage(w.store, gw, { ...second, runId: "r" as RunId });

    const now = 1_700_000_000_100; // the test clocks' time, within the claim's lease
    const pending = await findPendingMessages(w.store, home, { now });
    expect(pending.map((p) => p.message)).toEqual([first.message, inThread.message]);
    expect(pending[0]).toMatchObject({
      channel: w.channel,
      channelDoc: w.channelDoc,
      agentId: "main",
      session: w.session,
      doc: w.page,
      takeOver: false,
      model: "demo/smart",
    });
    expect(pending[1]).toMatchObject({ doc: inThread.doc, thread: { doc: w.page, message: first.message }, model: "demo/fast" });
    expect(await findPendingMessages(w.store, home, { agents: ["other" as AgentId] })).toEqual([]);
    expect((await findPendingMessages(w.store, "gw-other" as GatewayId, { now })).map((p) => p.doc)).toEqual([otherSession.page]);
  });

  it("offers a message again when its run's lease ran out, marked as a take-over", async () => {
    const w = await testWorkspace();
    const sent = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "one" });
    await claimMessage(w.store, { gateway: home, now: () => 1000 }, { ...sent, runId: "r" as RunId });
    expect(await findPendingMessages(w.store, home, { now: 1500, leaseMs: 1000 })).toEqual([]);
    expect(await findPendingMessages(w.store, home, { now: 2000, leaseMs: 1000 })).toMatchObject([{ message: sent.message, takeOver: true }]);
  });

  it("after a restart, finds its runs still marked as working that it no longer runs", async () => {
    const w = await testWorkspace();
    const gw = testGateway();
    const a = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "a" });
    const b = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "b" });
    const c = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "c" });
    await claimMessage(w.store, gw, { ...a, runId: "old" as RunId });
    await claimMessage(w.store, gw, { ...b, runId: "live" as RunId });
    await claimMessage(w.store, gw, { ...c, runId: "done" as RunId });
    await recordReply(w.store, gw, { ...c, runId: "done" as RunId, text: "ok" });
    const open = await findOpenRuns(w.store, home, new Set(["live" as RunId]));
    expect(open).toMatchObject([{ doc: w.page, message: a.message, runId: "old" }]);
    // Another instance's runs that renewed recently are left alone when quietMs is given.
    const claimedAt = open[0]!.at;
    expect(await findOpenRuns(w.store, home, new Set(), { now: claimedAt + 10, quietMs: 1000 })).toEqual([]);
    expect(await findOpenRuns(w.store, home, new Set(), { now: claimedAt + 5000, quietMs: 1000 })).toHaveLength(2);
  });

  it("lists tasks whose revision it has not applied, including deleted ones to unschedule", async () => {
    const w = await testWorkspace();
    const base = { name: "T", schedule: "every 1h", timezone: "UTC", prompt: "p" };
    const a = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...base });
    const b = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...base });
    const gw = testGateway();
    expect((await findTasksToApply(w.store, home)).map((t) => t.taskDoc).sort()).toEqual([a.doc, b.doc].sort());
    await recordTaskApplied(w.store, gw, { taskDoc: a.doc, revision: 1 });
    await recordTaskApplied(w.store, gw, { taskDoc: b.doc, revision: 1 });
    expect(await findTasksToApply(w.store, home)).toEqual([]);
    await deleteTask(w.store, w.me, { taskDoc: b.doc });
    expect(await findTasksToApply(w.store, home)).toMatchObject([{ taskDoc: b.doc, revision: 2, deleted: true }]);
    await deleteChannel(w.store, w.me, { channel: w.channel });
    expect((await findTasksToApply(w.store, home)).map((t) => t.taskDoc).sort()).toEqual([a.doc, b.doc].sort());
  });

  it("lists unconsumed run-now requests of live tasks", async () => {
    const w = await testWorkspace();
    const { doc } = await createTask(w.store, w.me, { channelDoc: w.channelDoc, name: "T", schedule: "every 1h", timezone: "UTC", prompt: "p" });
    const r1 = await requestRun(w.store, w.me, { taskDoc: doc });
    const r2 = await requestRun(w.store, w.me, { taskDoc: doc });
    await consumeRunRequest(w.store, testGateway(), { taskDoc: doc, request: r1 });
    expect(await findRunRequests(w.store, home)).toMatchObject([{ taskDoc: doc, request: r2 }]);
    expect(await findRunRequests(w.store, "gw-other" as GatewayId)).toEqual([]);
  });
});
