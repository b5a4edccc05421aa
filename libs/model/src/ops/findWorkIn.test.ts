import { describe, expect, it } from "vitest";
import type { DocHandle } from "@automerge/automerge-repo";
import { ROOT_DOC_ID } from "../docs/deriveDocumentId.js";
import type { DocStore } from "../docs/DocStore.js";
import type { AgentId, DocumentId, GatewayId, ModelId, RunId } from "../docs/ids.js";
import { claimMessage, consumeRunRequest, recordTaskApplied } from "./agentOps.js";
import { createChannel } from "./channelOps.js";
import { findPendingMessages, findRunRequests, findTasksToApply } from "./findWork.js";
import { findWorkIn } from "./findWorkIn.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { createSession, deleteSession } from "./sessionOps.js";
import { createTask, deleteTask, requestRun } from "./taskOps.js";
import { testGateway, testWorkspace } from "./testWorkspace.js";

const home = "gw-home" as GatewayId;
const now = 1_700_000_000_100; // the test clocks' time, within any claim's lease

/** A store that records which documents were read through it. */
function recording(store: DocStore): { store: DocStore; read: Set<DocumentId> } {
  const read = new Set<DocumentId>();
  return {
    read,
    store: {
      find: <T>(id: DocumentId): Promise<DocHandle<T>> => {
        read.add(id);
        return store.find<T>(id);
      },
      create: (initial) => store.create(initial),
      ensure: <T>(id: DocumentId, initial: () => T): Promise<DocHandle<T>> => {
        read.add(id);
        return store.ensure<T>(id, initial);
      },
      tombstone: (id) => store.tombstone(id),
    },
  };
}

describe("finding work in changed documents only", () => {
  it("gives the waiting messages of the changed pages and threads, and reads nothing else but the root and their channel", async () => {
    const w = await testWorkspace();
    const quiet = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "untouched" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: quiet.session, text: "waits, but did not change" });
    const first = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "one", model: "demo/fast" as ModelId });
    const second = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "two" });
    const inThread = await replyInThread(w.store, w.me, { pageDoc: w.page, message: first.message, text: "three" });
    await claimMessage(w.store, testGateway(), { ...second, runId: "r" as RunId });

    const r = recording(w.store);
    const work = await findWorkIn(r.store, home, [w.page, inThread.doc], { now });
    expect(work.messages.map((m) => m.message)).toEqual([first.message, inThread.message]);
    expect(work.messages[0]).toMatchObject({
      channel: w.channel,
      channelDoc: w.channelDoc,
      agentId: "main",
      session: w.session,
      doc: w.page,
      model: "demo/fast",
      takeOver: false,
    });
    expect(work.messages[1]).toMatchObject({ doc: inThread.doc, thread: { doc: w.page, message: first.message } });
    expect(work).toMatchObject({ tasks: [], runRequests: [], rescan: false });
    expect([...r.read].sort()).toEqual([ROOT_DOC_ID, w.channelDoc, w.page, inThread.doc].sort());
    // The same as the full query over the same documents.
    const full = (await findPendingMessages(w.store, home, { now })).filter((p) => p.doc === w.page || p.doc === inThread.doc);
    expect(work.messages).toEqual(full);
  });

  it("gives nothing for another gateway's channels, other agents, deleted sessions and documents that are gone", async () => {
    const w = await testWorkspace();
    const other = await createChannel(w.store, w.me, { name: "Elsewhere", gateway: "gw-other" as GatewayId, agentId: "main" as AgentId });
    const otherSession = await createSession(w.store, w.me, { channelDoc: other.doc, title: "x" });
    await sendMessage(w.store, w.me, { channelDoc: other.doc, session: otherSession.session, text: "not for home" });
    const gone = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "gone" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: gone.session, text: "deleted with its session" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "for home" });
    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: gone.session });

    expect((await findWorkIn(w.store, home, [otherSession.page, gone.page, w.page], { now })).messages.map((m) => m.doc)).toEqual([w.page]);
    expect((await findWorkIn(w.store, home, [w.page], { now, agents: ["other" as AgentId] })).messages).toEqual([]);
    expect((await findWorkIn(w.store, "gw-other" as GatewayId, [otherSession.page, w.page], { now })).messages.map((m) => m.doc)).toEqual([otherSession.page]);
  });

  it("gives a changed task's revision and requests, a changed channel's tasks, and asks for a rescan when the root changed", async () => {
    const w = await testWorkspace();
    const base = { name: "T", schedule: "every 1h", timezone: "UTC", prompt: "p" };
    const a = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...base });
    const b = await createTask(w.store, w.me, { channelDoc: w.channelDoc, ...base });
    const gw = testGateway();
    await recordTaskApplied(w.store, gw, { taskDoc: a.doc, revision: 1 });
    const r1 = await requestRun(w.store, w.me, { taskDoc: a.doc });
    const r2 = await requestRun(w.store, w.me, { taskDoc: a.doc });
    await consumeRunRequest(w.store, gw, { taskDoc: a.doc, request: r1 });

    const onA = await findWorkIn(w.store, home, [a.doc], { now });
    expect(onA.tasks).toEqual([]);
    expect(onA.runRequests).toMatchObject([{ taskDoc: a.doc, request: r2 }]);
    expect((await findWorkIn(w.store, home, [b.doc], { now })).tasks).toMatchObject([{ taskDoc: b.doc, revision: 1, deleted: false }]);

    await deleteTask(w.store, w.me, { taskDoc: a.doc });
    const onChannel = await findWorkIn(w.store, home, [w.channelDoc], { now });
    expect(onChannel.tasks.map((t) => [t.taskDoc, t.deleted]).sort()).toEqual(
      [
        [a.doc, true],
        [b.doc, false],
      ].sort(),
    );
    expect(onChannel.runRequests).toEqual([]);
    expect(onChannel.tasks.sort((x, y) => x.taskDoc.localeCompare(y.taskDoc))).toEqual(
      (await findTasksToApply(w.store, home)).sort((x, y) => x.taskDoc.localeCompare(y.taskDoc)),
    );
    expect(onChannel.runRequests).toEqual(await findRunRequests(w.store, home));

    expect(await findWorkIn(w.store, home, [ROOT_DOC_ID], { now })).toEqual({ messages: [], tasks: [], runRequests: [], rescan: true });
  });
});
