import { describe, expect, it } from "vitest";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import type { ModelId, RunId, SessionId } from "../docs/ids.js";
import type { PageDoc } from "../docs/PageDoc.js";
import { sessionsOf } from "../docs/workspaceViews.js";
import { recordReply } from "./agentOps.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { archiveSession, createSession, deleteSession, renameSession, setSessionModel } from "./sessionOps.js";
import { testGateway, testWorkspace } from "./testWorkspace.js";

describe("session operations", () => {
  it("create sessions in order, each with an empty first page", async () => {
    const w = await testWorkspace();
    const second = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Second", model: "demo/smart" as ModelId });
    const sessions = sessionsOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc());
    expect(sessions.map((s) => s.title)).toEqual(["First", "Second"]);
    expect(sessions[1]).toMatchObject({ id: second.session, pages: [second.page], lastPage: second.page, model: "demo/smart" });
    const page = (await w.store.find<PageDoc>(second.page)).doc();
    expect(page).toMatchObject({ page: 0, messages: {} });
  });

  it("a gateway creating a session with a chosen id gets the same session again", async () => {
    const w = await testWorkspace();
    const id = "job-session-1" as SessionId;
    const first = await createSession(w.store, testGateway(), { channelDoc: w.channelDoc, title: "Digest run", session: id });
    const again = await createSession(w.store, testGateway(), { channelDoc: w.channelDoc, title: "Digest run", session: id });
    expect(again).toEqual(first);
    expect(first.session).toBe(id);
    expect(sessionsOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())).toHaveLength(2);
  });

  it("rename, archive and choose a model", async () => {
    const w = await testWorkspace();
    await renameSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, title: "Renamed" });
    await archiveSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, archived: true });
    await setSessionModel(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, model: "demo/fast" as ModelId });
    const channel = (await w.store.find<ChannelDoc>(w.channelDoc)).doc();
    expect(sessionsOf(channel)[0]).toMatchObject({ title: "Renamed", archived: true, model: "demo/fast" });
    expect(sessionsOf(channel, { archived: false })).toEqual([]);
    await setSessionModel(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, model: null });
    expect(sessionsOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())[0]!.model).toBeUndefined();
  });

  it("delete a session: hidden, its pages and threads tombstoned, further writes refused", async () => {
    const w = await testWorkspace();
    const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "hi" });
    const thread = await replyInThread(w.store, w.me, { pageDoc: w.page, message, text: "re" });
    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    expect(sessionsOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())).toEqual([]);
    expect(w.store.has(w.page)).toBe(false);
    expect(w.store.has(thread.doc)).toBe(false);
    await expect(sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "x" })).rejects.toMatchObject({ code: "deleted" });
    await expect(replyInThread(w.store, w.me, { pageDoc: w.page, message, text: "again" })).rejects.toMatchObject({ name: "OpError", code: "deleted" });
    // An agent answering in the deleted thread is refused the same way, and the thread stays gone.
    await expect(recordReply(w.store, testGateway(), { doc: thread.doc, message: thread.message, runId: "r" as RunId, text: "late" })).rejects.toMatchObject({
      code: "deleted",
    });
    expect(w.store.has(thread.doc)).toBe(false);
    await expect(renameSession(w.store, w.me, { channelDoc: w.channelDoc, session: "nope" as SessionId, title: "x" })).rejects.toMatchObject({
      code: "not-found",
    });
  });
});
