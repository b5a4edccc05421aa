import { describe, expect, it } from "vitest";
import type { ChannelDoc } from "../docs/ChannelDoc.js";
import { pageDocId, threadDocId } from "../docs/deriveDocumentId.js";
import { str } from "../docs/Imm.js";
import type { BlobHash, GatewayId, MessageId, ModelId, RunId } from "../docs/ids.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import { sessionMessages, sortedMessages } from "../docs/messageView.js";
import type { PageDoc } from "../docs/PageDoc.js";
import type { ThreadDoc } from "../docs/ThreadDoc.js";
import { pagesOf } from "../docs/workspaceViews.js";
import { claimMessage, markInterrupted, recordError, recordReply } from "./agentOps.js";
import { chooseAction, postMessage, replyInThread, retryMessage, sendMessage } from "./messageOps.js";
import { TEXT_MAX_BYTES } from "./textLimit.js";
import { testDevice, testGateway, testWorkspace } from "./testWorkspace.js";

describe("sendMessage", () => {
  it("writes a pending person's message with media and reply-to, read back in order", async () => {
    const { store, me, channelDoc, session, page } = await testWorkspace();
    const first = await sendMessage(store, me, { channelDoc, session, text: "one" });
    const media = [{ hash: "ab".repeat(32) as BlobHash, key: "k3y", mime: "image/png", name: "cat.png", size: 12 }];
    const second = await sendMessage(store, me, { channelDoc, session, text: "two", media, replyTo: first.message, model: "demo/fast" as ModelId });
    expect(second.doc).toBe(page);
    const views = sortedMessages((await store.find<PageDoc>(page)).doc());
    expect(views.map((m) => [m.text, m.status, m.role, m.author])).toEqual([
      ["one", "pending", "user", me.device],
      ["two", "pending", "user", me.device],
    ]);
    expect(views[1]).toMatchObject({ media, replyTo: first.message, model: "demo/fast", attempt: 0 });
  });

  it("orders messages with the same time by id", async () => {
    const { store, channelDoc, session, page } = await testWorkspace();
    const frozen = { ...testDevice(2), now: () => 5 };
    const ids = [];
    for (const text of ["a", "b", "c"]) ids.push((await sendMessage(store, frozen, { channelDoc, session, text })).message);
    const views = sortedMessages((await store.find<PageDoc>(page)).doc());
    expect(views.map((m) => m.id)).toEqual([...ids].sort());
  });

  it("refuses a text over 1 MB (the relay's entries must stay sendable), writing nothing; an agent's longer reply is cut instead", async () => {
    const { store, me, channelDoc, session, page } = await testWorkspace();
    const huge = "x".repeat(TEXT_MAX_BYTES + 1);
    await expect(sendMessage(store, me, { channelDoc, session, text: huge })).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringContaining("Attach it as a file"),
    });
    expect(sortedMessages((await store.find<PageDoc>(page)).doc())).toEqual([]);

    const { message } = await sendMessage(store, me, { channelDoc, session, text: "write a novel" });
    await expect(replyInThread(store, me, { pageDoc: page, message, text: huge })).rejects.toMatchObject({ code: "invalid" });
    const gw = testGateway();
    await claimMessage(store, gw, { doc: page, message, runId: "run-1" as RunId });
    const r = await recordReply(store, gw, { doc: page, message, runId: "run-1" as RunId, text: huge });
    const reply = sortedMessages((await store.find<PageDoc>(page)).doc()).find((m) => r.ok && m.id === r.reply)!;
    expect(reply.text.length).toBeLessThanOrEqual(TEXT_MAX_BYTES);
    expect(reply.text.endsWith("[Cut here: the rest was longer than a message may be.]")).toBe(true);
  });

  it("refuses a message with neither text nor attachment", async () => {
    const { store, me, channelDoc, session } = await testWorkspace();
    await expect(sendMessage(store, me, { channelDoc, session, text: "  " })).rejects.toMatchObject({ code: "invalid" });
  });

  it("starts a derived next page when the last one is full, linked both ways", async () => {
    const { store, me, channelDoc, session, page } = await testWorkspace();
    for (let i = 0; i < 4; i++) await sendMessage(store, me, { channelDoc, session, text: `m${i}` }, { pageSize: 3 });
    const next = pageDocId(session, 1);
    const channel = (await store.find<ChannelDoc>(channelDoc)).doc();
    expect(pagesOf(channel.sessions[session]!)).toEqual([page, next]);
    const p0 = (await store.find<PageDoc>(page)).doc();
    const p1 = (await store.find<PageDoc>(next)).doc();
    expect(str(p0.next)).toBe(next);
    expect(str(p1.prev)).toBe(page);
    expect(p1.page).toBe(1);
    expect(sessionMessages([p0, p1]).map((m) => m.text)).toEqual(["m0", "m1", "m2", "m3"]);
  });

  it("two devices that both fill a page offline continue on the same next page", async () => {
    const a = await testWorkspace();
    const b = new MemoryDocStore();
    b.syncFrom(a.store);
    for (let i = 0; i < 2; i++) await sendMessage(a.store, a.me, { channelDoc: a.channelDoc, session: a.session, text: `a${i}` }, { pageSize: 2 });
    const phone = testDevice(2, 1_700_000_000_500);
    for (let i = 0; i < 2; i++) await sendMessage(b, phone, { channelDoc: a.channelDoc, session: a.session, text: `b${i}` }, { pageSize: 2 });
    // Both pages are "full" now on each side; the next message on each starts page 1.
    const x = await sendMessage(a.store, a.me, { channelDoc: a.channelDoc, session: a.session, text: "a-next" }, { pageSize: 2 });
    const y = await sendMessage(b, phone, { channelDoc: a.channelDoc, session: a.session, text: "b-next" }, { pageSize: 2 });
    expect(x.doc).toBe(y.doc);
    a.store.syncFrom(b);
    const p1 = (await a.store.find<PageDoc>(x.doc)).doc();
    expect(sortedMessages(p1).map((m) => m.text)).toEqual(["a-next", "b-next"]);
    expect(pagesOf((await a.store.find<ChannelDoc>(a.channelDoc)).doc().sessions[a.session]!)).toHaveLength(2);
  });
});

describe("postMessage", () => {
  it("posts an agent's message to a session once, by its id", async () => {
    const { store, channelDoc, session, page } = await testWorkspace();
    const gw = testGateway();
    const id = "job-output-1" as MessageId;
    const input = { channelDoc, session, id, text: "Digest: 3 items", model: "demo/fast" as ModelId };
    expect(await postMessage(store, gw, input)).toEqual({ doc: page, message: id, written: true });
    expect(await postMessage(store, gw, input)).toEqual({ doc: page, message: id, written: false });
    const views = sortedMessages((await store.find<PageDoc>(page)).doc());
    expect(views).toMatchObject([{ id, role: "agent", text: "Digest: 3 items", gateway: "gw-home", status: "answered" }]);
  });

  it("finds an earlier post on an older page and does not repeat it", async () => {
    const { store, me, channelDoc, session, page } = await testWorkspace();
    const gw = testGateway();
    const id = "notice" as MessageId;
    await postMessage(store, gw, { channelDoc, session, id, text: "hello", role: "system" }, { pageSize: 2 });
    for (let i = 0; i < 2; i++) await sendMessage(store, me, { channelDoc, session, text: `m${i}` }, { pageSize: 2 });
    expect(await postMessage(store, gw, { channelDoc, session, id, text: "hello", role: "system" }, { pageSize: 2 })).toMatchObject({
      doc: page,
      written: false,
    });
  });
});

describe("replyInThread", () => {
  it("creates the thread on the first reply and counts replies on the parent", async () => {
    const { store, me, channelDoc, session, page } = await testWorkspace();
    const { message } = await sendMessage(store, me, { channelDoc, session, text: "parent" });
    const r1 = await replyInThread(store, me, { pageDoc: page, message, text: "first" });
    const r2 = await replyInThread(store, me, { pageDoc: page, message, text: "second" });
    expect(r1.doc).toBe(threadDocId(page, message));
    expect(r2.doc).toBe(r1.doc);
    const thread = (await store.find<ThreadDoc>(r1.doc)).doc();
    expect(str(thread.parent.doc)).toBe(page);
    expect(str(thread.parent.message)).toBe(message);
    expect(sortedMessages(thread).map((m) => m.text)).toEqual(["first", "second"]);
    const parent = sortedMessages((await store.find<PageDoc>(page)).doc())[0]!;
    expect(parent.thread).toMatchObject({ doc: r1.doc, replies: 2 });
    expect(parent.thread!.lastReplyAt).toBe(thread.messages[r2.message]!.createdAt);
  });

  it("two devices starting the same thread offline see one thread with both replies after merging", async () => {
    const a = await testWorkspace();
    const { message } = await sendMessage(a.store, a.me, { channelDoc: a.channelDoc, session: a.session, text: "parent" });
    const b = new MemoryDocStore();
    b.syncFrom(a.store);
    const phone = testDevice(2);
    const fromA = await replyInThread(a.store, a.me, { pageDoc: a.page, message, text: "from laptop" });
    const fromB = await replyInThread(b, phone, { pageDoc: a.page, message, text: "from phone" });
    expect(fromA.doc).toBe(fromB.doc);
    a.store.syncFrom(b);
    b.syncFrom(a.store);
    for (const store of [a.store, b]) {
      const thread = (await store.find<ThreadDoc>(fromA.doc)).doc();
      expect(
        sortedMessages(thread)
          .map((m) => m.text)
          .sort(),
      ).toEqual(["from laptop", "from phone"]);
      const parent = sortedMessages((await store.find<PageDoc>(a.page)).doc())[0]!;
      expect(parent.thread?.replies).toBe(2);
    }
  });

  it("refuses a reply to a message that is not there", async () => {
    const { store, me, page } = await testWorkspace();
    await expect(replyInThread(store, me, { pageDoc: page, message: "nope" as MessageId, text: "x" })).rejects.toMatchObject({
      code: "not-found",
    });
  });
});

describe("chooseAction and retryMessage", () => {
  const gw = testGateway();
  const run = "run-1" as RunId;

  async function agentAsks() {
    const w = await testWorkspace();
    const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "deploy?" });
    await claimMessage(w.store, gw, { doc: w.page, message, runId: run });
    const r = await recordReply(w.store, gw, {
      doc: w.page,
      message,
      runId: run,
      text: "Deploy to production?",
      actions: [
        {
          kind: "buttons",
          id: "go",
          options: [
            { value: "yes", label: "Yes, deploy", style: "primary" },
            { value: "no", label: "No" },
          ],
        },
      ],
    });
    if (!r.ok) throw new Error("reply not recorded");
    return { ...w, reply: r.reply };
  }

  it("a choice becomes the person's answer message, once, however often it is chosen", async () => {
    const w = await agentAsks();
    const first = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "go", value: "yes" });
    const again = await chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "go", value: "no" });
    expect(first.chosen).toBe(true);
    expect(again).toEqual({ answer: first.answer, chosen: false });
    const views = sortedMessages((await w.store.find<PageDoc>(w.page)).doc());
    const answer = views.find((m) => m.id === first.answer)!;
    expect(answer).toMatchObject({ role: "user", text: "Yes, deploy", status: "pending", replyTo: w.reply, answers: { block: "go", value: "yes" } });
    expect(views.find((m) => m.id === w.reply)!.chosen).toMatchObject({ value: "yes", label: "Yes, deploy", answer: first.answer });
  });

  it("refuses an option the block does not offer", async () => {
    const w = await agentAsks();
    await expect(chooseAction(w.store, w.me, { doc: w.page, message: w.reply, block: "go", value: "maybe" })).rejects.toMatchObject({
      code: "invalid",
    });
  });

  it("retry brings a failed or interrupted message back to pending, and only those", async () => {
    const w = await testWorkspace();
    const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "hi" });
    const target = { doc: w.page, message };
    expect(await retryMessage(w.store, w.me, target)).toBe(false);
    await claimMessage(w.store, gw, { ...target, runId: run });
    await recordError(w.store, gw, { ...target, runId: run, reason: "model overloaded" });
    let view = sortedMessages((await w.store.find<PageDoc>(w.page)).doc())[0]!;
    expect(view).toMatchObject({ status: "error", error: "model overloaded" });
    expect(await retryMessage(w.store, w.me, target)).toBe(true);
    view = sortedMessages((await w.store.find<PageDoc>(w.page)).doc())[0]!;
    expect(view).toMatchObject({ status: "pending", attempt: 1 });
    const second = "run-2" as RunId;
    expect(await claimMessage(w.store, gw, { ...target, runId: second })).toBe(true);
    await markInterrupted(w.store, { gateway: "gw-home" as GatewayId }, { ...target, runId: second });
    expect(await retryMessage(w.store, w.me, target)).toBe(true);
    view = sortedMessages((await w.store.find<PageDoc>(w.page)).doc())[0]!;
    expect(view).toMatchObject({ status: "pending", attempt: 2 });
  });
});
