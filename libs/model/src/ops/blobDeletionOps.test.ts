import { describe, expect, it } from "vitest";
import type { BlobsDoc } from "../docs/BlobsDoc.js";
import { BLOBS_DOC_ID } from "../docs/deriveDocumentId.js";
import { MemoryDocStore } from "../docs/MemoryDocStore.js";
import type { BlobHash, GatewayId, AgentId } from "../docs/ids.js";
import { deleteQueuedBlobs, queueBlobDeletions, queuedBlobDeletions } from "./blobDeletionOps.js";
import { createChannel, deleteChannel } from "./channelOps.js";
import { replyInThread, sendMessage } from "./messageOps.js";
import type { MediaInput } from "./newMessage.js";
import { createSession, deleteSession } from "./sessionOps.js";
import { testDevice, testWorkspace } from "./testWorkspace.js";

const hashOf = (n: number) => String(n).padStart(2, "0").repeat(32) as BlobHash;
const media = (n: number): MediaInput => ({ hash: hashOf(n), key: `key${n}`, mime: "image/png", name: `photo${n}.png`, size: 100 + n });

/** A relay that remembers what it was asked to delete, and answers as told. */
function fakeRelay(answer: (hash: BlobHash) => Promise<boolean> = async () => true) {
  const asked: BlobHash[] = [];
  return {
    asked,
    remove: async (hash: BlobHash) => {
      asked.push(hash);
      return answer(hash);
    },
  };
}

describe("queued blob deletions", () => {
  it("deleting a session queues the blobs of its messages and of its threads' messages", async () => {
    const w = await testWorkspace();
    const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "look", media: [media(1), media(2)] });
    await replyInThread(w.store, w.me, { pageDoc: w.page, message, text: "and this", media: [media(3)] });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "no files" });
    expect(await queuedBlobDeletions(w.store)).toEqual([]);

    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    expect((await queuedBlobDeletions(w.store)).sort()).toEqual([hashOf(1), hashOf(2), hashOf(3)]);
  });

  it("a blob a live message of another session still refers to is not queued; the others are", async () => {
    const w = await testWorkspace();
    const other = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Other" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "files", media: [media(1), media(2)] });
    // The same blob sent again (a forwarded message) in another session.
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: other.session, text: "again", media: [media(1)] });

    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    expect(await queuedBlobDeletions(w.store)).toEqual([hashOf(2)]);

    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: other.session });
    expect((await queuedBlobDeletions(w.store)).sort()).toEqual([hashOf(1), hashOf(2)]);
  });

  it("deleting a channel queues the blobs of every session in it, and keeps those another channel refers to", async () => {
    const w = await testWorkspace();
    const second = await createSession(w.store, w.me, { channelDoc: w.channelDoc, title: "Second" });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "a", media: [media(1)] });
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: second.session, text: "b", media: [media(2), media(3)] });
    const elsewhere = await createChannel(w.store, w.me, { name: "Elsewhere", gateway: "gw-home" as GatewayId, agentId: "main" as AgentId });
    const there = await createSession(w.store, w.me, { channelDoc: elsewhere.doc, title: "There" });
    await sendMessage(w.store, w.me, { channelDoc: elsewhere.doc, session: there.session, text: "c", media: [media(3)] });

    await deleteChannel(w.store, w.me, { channel: w.channel });
    expect((await queuedBlobDeletions(w.store)).sort()).toEqual([hashOf(1), hashOf(2)]);
  });

  it("deleting a session without attachments writes no queue at all", async () => {
    const w = await testWorkspace();
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "plain" });
    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    expect(w.store.has(BLOBS_DOC_ID)).toBe(false);
  });

  it("a pass deletes each queued blob at the relay and clears its entry; one the relay could not delete stays queued", async () => {
    const w = await testWorkspace();
    await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text: "files", media: [media(1), media(2)] });
    await deleteSession(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });

    const flaky = fakeRelay(async (h) => {
      if (h === hashOf(2)) throw new Error("network down");
      return true;
    });
    expect(await deleteQueuedBlobs(w.store, flaky.remove)).toEqual({ deleted: [hashOf(1)], kept: [], failed: [hashOf(2)] });
    expect(await queuedBlobDeletions(w.store)).toEqual([hashOf(2)]);

    const relay = fakeRelay();
    expect(await deleteQueuedBlobs(w.store, relay.remove)).toEqual({ deleted: [hashOf(2)], kept: [], failed: [] });
    expect(relay.asked).toEqual([hashOf(2)]);
    expect(await queuedBlobDeletions(w.store)).toEqual([]);
    expect(await deleteQueuedBlobs(w.store, relay.remove)).toEqual({ deleted: [], kept: [], failed: [] });
    expect(relay.asked).toEqual([hashOf(2)]);
  });

  it("a queued blob that a live message refers to again (its copy arrived since) is kept, not deleted", async () => {
    const phone = await testWorkspace();
    const laptop = new MemoryDocStore();
    laptop.syncFrom(phone.store);
    const other = await createSession(laptop, testDevice(2), { channelDoc: phone.channelDoc, title: "Other" });
    await sendMessage(phone.store, phone.me, { channelDoc: phone.channelDoc, session: phone.session, text: "photo", media: [media(1)] });
    // Offline, the laptop sends the same blob again elsewhere while the phone deletes the session.
    await sendMessage(laptop, testDevice(2), { channelDoc: phone.channelDoc, session: other.session, text: "fwd", media: [media(1)] });
    await deleteSession(phone.store, phone.me, { channelDoc: phone.channelDoc, session: phone.session });
    expect(await queuedBlobDeletions(phone.store)).toEqual([hashOf(1)]);

    phone.store.syncFrom(laptop);
    const relay = fakeRelay();
    expect(await deleteQueuedBlobs(phone.store, relay.remove)).toEqual({ deleted: [], kept: [hashOf(1)], failed: [] });
    expect(relay.asked).toEqual([]);
    expect(await queuedBlobDeletions(phone.store)).toEqual([]);
  });

  it("two devices that queue deletions offline share one queue, and either carries out both", async () => {
    const phone = await testWorkspace();
    const laptop = new MemoryDocStore();
    laptop.syncFrom(phone.store);
    const second = await createSession(phone.store, phone.me, { channelDoc: phone.channelDoc, title: "Second" });
    await sendMessage(phone.store, phone.me, { channelDoc: phone.channelDoc, session: phone.session, text: "a", media: [media(1)] });
    await sendMessage(phone.store, phone.me, { channelDoc: phone.channelDoc, session: second.session, text: "b", media: [media(2)] });
    laptop.syncFrom(phone.store);

    // Neither has a queue yet; each creates it while offline.
    await deleteSession(phone.store, phone.me, { channelDoc: phone.channelDoc, session: phone.session });
    await deleteSession(laptop, testDevice(2), { channelDoc: phone.channelDoc, session: second.session });
    laptop.syncFrom(phone.store);
    phone.store.syncFrom(laptop);
    expect((await queuedBlobDeletions(phone.store)).sort()).toEqual([hashOf(1), hashOf(2)]);
    expect((await queuedBlobDeletions(laptop)).sort()).toEqual([hashOf(1), hashOf(2)]);

    const relay = fakeRelay();
    await deleteQueuedBlobs(laptop, relay.remove);
    phone.store.syncFrom(laptop);
    expect(relay.asked.sort()).toEqual([hashOf(1), hashOf(2)]);
    expect(await queuedBlobDeletions(phone.store)).toEqual([]);
  });

  it("an entry queued again while a pass was asking the relay stays queued", async () => {
    const w = await testWorkspace();
    await queueBlobDeletions(w.store, [hashOf(1)], 1_000);
    const relay = fakeRelay(async (h) => {
      (await w.store.find<BlobsDoc>(BLOBS_DOC_ID)).change((d) => {
        d.toDelete[h] = 2_000;
      });
      return true;
    });
    expect(await deleteQueuedBlobs(w.store, relay.remove)).toMatchObject({ deleted: [hashOf(1)] });
    expect(await queuedBlobDeletions(w.store)).toEqual([hashOf(1)]);
  });
});
