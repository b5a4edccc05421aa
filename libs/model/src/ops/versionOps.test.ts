import { describe, expect, it } from "vitest";
import type { MessageId, ModelId, RunId } from "../docs/ids.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import { currentVersion } from "../docs/messageVersions.js";
import { sortedMessages } from "../docs/messageView.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { str } from "../docs/Imm.js";
import { claimMessage, recordReply } from "./agentOps.js";
import { findPendingMessages } from "./findWork.js";
import { findWorkIn } from "./findWorkIn.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import { testDevice, testGateway, testWorkspace } from "./testWorkspace.js";
import { editMessage, regenerateReply } from "./versionOps.js";

const gw = testGateway();
const fast = "demo/fast" as ModelId;

/** A workspace with one question answered by run `r0`. */
async function answered(text = "What is CRDT?") {
  const w = await testWorkspace();
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  const target = { doc: w.page, message, runId: "r0" as RunId };
  await claimMessage(w.store, gw, target);
  const r = await recordReply(w.store, gw, { ...target, text: "first answer", model: "demo/smart" as ModelId });
  if (!r.ok) throw new Error("not recorded");
  return { ...w, message, reply: r.reply };
}

/** Answers a pending message as an agent would: claim, then record. */
async function answer(store: MemoryDocStore, doc: string, message: MessageId, runId: string, text: string, model?: ModelId) {
  const target = { doc: doc as never, message, runId: runId as RunId };
  expect(await claimMessage(store, gw, target)).toBe(true);
  const r = await recordReply(store, gw, { ...target, text, ...(model === undefined ? {} : { model }) });
  expect(r.ok).toBe(true);
}

const pageOf = async (store: MemoryDocStore, page: string) => (await store.find<PageDoc>(page as never)).doc();

describe("regenerateReply", () => {
  it("asks for another answer with another model: a pending version the agent finds, answered beside the first, one row with both versions", async () => {
    const w = await answered();
    const v = await regenerateReply(w.store, w.me, { doc: w.page, message: w.reply, model: fast });
    const pending = await findPendingMessages(w.store, gw.gateway);
    expect(pending).toEqual([expect.objectContaining({ doc: w.page, message: v.message, model: fast })]);
    expect((await findWorkIn(w.store, gw.gateway, [w.page])).messages.map((p) => p.message)).toEqual([v.message]);

    await answer(w.store, w.page, v.message, "r1", "second answer", fast);
    expect(await findPendingMessages(w.store, gw.gateway)).toEqual([]);
    const views = sortedMessages(await pageOf(w.store, w.page));
    expect(views.map((m) => [m.role, m.text])).toEqual([
      ["user", "What is CRDT?"],
      ["agent", "first answer"],
    ]);
    const versions = views[0]!.versions!;
    expect(versions.map((x) => [x.kind, x.ask.text, x.ask.status, x.reply?.text, x.reply?.model])).toEqual([
      ["original", "What is CRDT?", "answered", "first answer", "demo/smart"],
      ["regenerate", "What is CRDT?", "answered", "second answer", "demo/fast"],
    ]);
  });

  it("keeps both requests made on two devices at once: both are answered, and both answers stay as versions after merging", async () => {
    const a = await answered();
    const b = new MemoryDocStore();
    b.syncFrom(a.store);
    const phone = testDevice(2);
    const fromA = await regenerateReply(a.store, a.me, { doc: a.page, message: a.reply, model: fast });
    const fromB = await regenerateReply(b, phone, { doc: a.page, message: a.reply });
    a.store.syncFrom(b);
    b.syncFrom(a.store);
    for (const store of [a.store, b]) {
      const pending = await findPendingMessages(store, gw.gateway);
      expect(pending.map((p) => p.message).sort()).toEqual([fromA.message, fromB.message].sort());
    }
    await answer(a.store, a.page, fromA.message, "ra", "answer A", fast);
    await answer(a.store, a.page, fromB.message, "rb", "answer B");
    b.syncFrom(a.store);
    for (const store of [a.store, b]) {
      const [asked, ...rest] = sortedMessages(await pageOf(store, a.page));
      expect(rest.map((m) => m.text)).toEqual(["first answer"]);
      expect(asked!.versions!.map((x) => x.reply?.text).sort()).toEqual(["answer A", "answer B", "first answer"]);
      expect(await findPendingMessages(store, gw.gateway)).toEqual([]);
    }
    // Every device orders the versions alike.
    const order = async (store: MemoryDocStore) => sortedMessages(await pageOf(store, a.page))[0]!.versions!.map((x) => x.ask.id);
    expect(await order(a.store)).toEqual(await order(b));
  });

  it("answers an edit again with its edited text, and refuses what is not an answer to a person", async () => {
    const w = await answered();
    const edit = await editMessage(w.store, w.me, { doc: w.page, message: w.message, text: "What is a CRDT, briefly?" });
    await answer(w.store, w.page, edit.message, "r1", "edited answer");
    const reply = sortedMessages(await pageOf(w.store, w.page))[0]!.versions![1]!.reply!;
    const again = await regenerateReply(w.store, w.me, { doc: w.page, message: reply.id });
    const record = (await pageOf(w.store, w.page)).messages[again.message]!;
    expect([str(record.text), str(record.versionOf), str(record.regenerates)]).toEqual(["What is a CRDT, briefly?", w.message, edit.message]);
    await expect(regenerateReply(w.store, w.me, { doc: w.page, message: "nope" as MessageId })).rejects.toMatchObject({ code: "not-found" });
  });
});

describe("editMessage", () => {
  it("writes the edited text as a new version the agent answers; the current version is the latest, the first text stays", async () => {
    const w = await answered("Tell me a jkoe");
    const edit = await editMessage(w.store, w.me, { doc: w.page, message: w.message, text: "Tell me a joke" });
    expect((await findPendingMessages(w.store, gw.gateway)).map((p) => p.message)).toEqual([edit.message]);
    const doc = await pageOf(w.store, w.page);
    expect(str(currentVersion(doc.messages, w.message)!.text)).toBe("Tell me a joke");
    await answer(w.store, w.page, edit.message, "r1", "Why did the CRDT merge? It had no conflicts.");
    const [asked, reply] = sortedMessages(await pageOf(w.store, w.page));
    expect(asked!.text).toBe("Tell me a jkoe");
    expect(reply!.text).toBe("first answer");
    expect(asked!.versions!.map((x) => [x.kind, x.ask.text, x.reply?.text])).toEqual([
      ["original", "Tell me a jkoe", "first answer"],
      ["edit", "Tell me a joke", "Why did the CRDT merge? It had no conflicts."],
    ]);
  });

  it("refuses unchanged or empty text, an agent's message and an action's answer", async () => {
    const w = await answered();
    await expect(editMessage(w.store, w.me, { doc: w.page, message: w.message, text: "What is CRDT?" })).rejects.toMatchObject({ code: "invalid" });
    await expect(editMessage(w.store, w.me, { doc: w.page, message: w.message, text: "  " })).rejects.toMatchObject({ code: "invalid" });
    await expect(editMessage(w.store, w.me, { doc: w.page, message: w.reply, text: "x" })).rejects.toMatchObject({ code: "invalid" });
  });

  it("in a thread, a version's answer does not count as another reply", async () => {
    const w = await answered();
    const q = await replyInThread(w.store, w.me, { pageDoc: w.page, message: w.message, text: "and then?" });
    await answer(w.store, q.doc, q.message, "t0", "then this");
    const edit = await editMessage(w.store, w.me, { doc: q.doc, message: q.message, text: "and after that?" });
    await answer(w.store, q.doc, edit.message, "t1", "after that, this");
    expect(sortedMessages(await pageOf(w.store, w.page))[0]!.thread!.replies).toBe(2);
    const thread = (await w.store.find<ThreadDoc>(q.doc)).doc();
    expect(sortedMessages(thread).map((m) => m.text)).toEqual(["and then?", "then this"]);
  });
});
