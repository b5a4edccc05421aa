import {
  archiveSession,
  claimMessage,
  type ChannelDoc,
  createSession,
  type DocumentId,
  markSessionRead,
  postMessage,
  recordReply,
  ROOT_DOC_ID,
  type MessageId,
  type RunId,
  sendMessage,
  taskSessionId,
  type TaskId,
} from "@botschat/model";
import { testGateway, testWorkspace, type TestWorkspace } from "@botschat/model/testing";
import { describe, expect, it } from "vitest";
import { unreadView } from "./unreadView.js";
import type { DocReader } from "./ViewWatch.js";

/** A reader over every document of the test store (loaded up front), or with some pages not here yet. */
async function readerOf(w: TestWorkspace, missing: ReadonlySet<string> = new Set()): Promise<DocReader> {
  const docs = new Map<string, unknown>();
  const root = (await w.store.find(ROOT_DOC_ID)).doc();
  docs.set(ROOT_DOC_ID, root);
  const channel = (await w.store.find<ChannelDoc>(w.channelDoc)).doc();
  docs.set(w.channelDoc, channel);
  for (const s of Object.values(channel.sessions)) for (const p of Object.values(s.pages)) docs.set(p.val, (await w.store.find(p.val as DocumentId)).doc());
  return { doc: <T>(id: DocumentId) => (missing.has(id) ? undefined : (docs.get(id) as T | undefined)), loading: false };
}

async function answer(w: TestWorkspace, text: string): Promise<void> {
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  const gw = testGateway("gw-home", 1_800_000_000_000);
  await claimMessage(w.store, gw, { doc: w.page, message, runId: "r1" as RunId });
  await recordReply(w.store, gw, { doc: w.page, message, runId: "r1" as RunId, text: `You said: ${text}` });
}

describe("the unread view", () => {
  it("lists every open session with what is unread in it; reading clears it", async () => {
    const w = await testWorkspace();
    const other = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Other" });
    await answer(w, "hello");
    const view = unreadView(await readerOf(w));
    expect(view?.sessions).toHaveLength(2);
    expect(view?.sessions.find((s) => s.session === w.session)).toMatchObject({
      channel: w.channel,
      channelDoc: w.channelDoc,
      count: 1,
      latest: { text: "You said: hello" },
    });
    expect(view?.sessions.find((s) => s.session === other.session)).toMatchObject({ count: 0 });
    await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    expect(unreadView(await readerOf(w))?.sessions.find((s) => s.session === w.session)?.count).toBe(0);
  });

  it("leaves out closed tabs, a task's runs, and sessions whose pages are not here yet", async () => {
    const w = await testWorkspace();
    await answer(w, "hello");
    const closed = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Closed" });
    await archiveSession(w.store, w.me, { channelDoc: w.channelDoc, session: closed.session, archived: true });
    const runs = await createSession(w.store, testGateway(), { channelDoc: w.channelDoc, title: "Digest", session: taskSessionId("t1" as TaskId) });
    const channel = await w.store.find<ChannelDoc>(w.channelDoc);
    channel.change((c) => {
      c.tasks["t1" as TaskId] = { id: "t1" as never, doc: "x" as never, jobLogs: {}, createdAt: 1 };
    });
    await postMessage(w.store, testGateway(), { channelDoc: w.channelDoc, session: runs.session, id: "job-1" as MessageId, text: "digest" });
    expect(unreadView(await readerOf(w))?.sessions.map((s) => s.session)).toEqual([w.session]);
    expect(unreadView(await readerOf(w, new Set([w.page])))?.sessions).toEqual([]);
  });
});
