import { change, clone, from, merge } from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { claimMessage, recordReply } from "../ops/agentOps.js";
import { postMessage, sendMessage } from "../ops/messageOps.js";
import { markSessionRead } from "../ops/readOps.js";
import { testDevice, testGateway, testWorkspace, type TestWorkspace } from "../ops/testWorkspace.js";
import type { ChannelDoc, SessionEntry } from "./ChannelDoc.js";
import type { DocumentId, MessageId, RunId, SessionId } from "./ids.js";
import type { PageDoc } from "./PageDoc.js";
import { readUpToOf, unreadOf } from "./readState.js";
import { sessionsOf } from "./workspaceViews.js";

async function entryOf(w: TestWorkspace): Promise<SessionEntry> {
  return (await w.store.find<ChannelDoc>(w.channelDoc)).doc().sessions[w.session]!;
}

async function unread(w: TestWorkspace) {
  const pages = new Map<DocumentId, PageDoc>();
  const entry = await entryOf(w);
  for (const id of Object.values(entry.pages)) pages.set(id.val as DocumentId, (await w.store.find<PageDoc>(id.val as DocumentId)).doc());
  return unreadOf(entry, (d) => pages.get(d));
}

/** The person asks on one device; the agent answers at `answerAt` (its own clock). */
async function askAndAnswer(w: TestWorkspace, text: string, answerAt?: number): Promise<MessageId> {
  const { message } = await sendMessage(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, text });
  const gw = testGateway("gw-home", answerAt);
  const runId = `run-${text}` as RunId;
  await claimMessage(w.store, gw, { doc: w.page, message, runId });
  const r = await recordReply(w.store, gw, { doc: w.page, message, runId, text: `You said: ${text}` });
  if (!r.ok) throw new Error(r.reason);
  return r.reply;
}

describe("read state", () => {
  it("counts agent replies after the read position, never the person's own messages", async () => {
    const w = await testWorkspace();
    const reply = await askAndAnswer(w, "one", 1_800_000_000_000);
    // The person's question is read (they wrote it); the answer after it is not.
    expect(await unread(w)).toMatchObject({ count: 1, first: reply, latest: { id: reply, text: "You said: one" } });
    expect(await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session })).toBe(true);
    expect(await unread(w)).toMatchObject({ count: 0 });
    expect((await unread(w))?.first).toBeUndefined();
    // Reading again changes nothing, and writes nothing.
    expect(await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session })).toBe(false);
  });

  it("counts several replies and job results; the first of them is where the divider goes", async () => {
    const w = await testWorkspace();
    await askAndAnswer(w, "q", 1_800_000_000_000);
    await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session });
    const gw = testGateway("gw-home", 1_900_000_000_000);
    const a = await postMessage(w.store, gw, { channelDoc: w.channelDoc, session: w.session, id: "m-a" as MessageId, text: "first news" });
    await postMessage(w.store, gw, { channelDoc: w.channelDoc, session: w.session, id: "m-b" as MessageId, text: "second news" });
    await postMessage(w.store, gw, { channelDoc: w.channelDoc, session: w.session, id: "m-s" as MessageId, text: "a note", role: "system" });
    expect(await unread(w)).toMatchObject({ count: 2, first: a.message, latest: { id: "m-b", text: "second news" } });
  });

  it("a reply stamped before its question by a lagging gateway clock still counts", async () => {
    const w = await testWorkspace();
    // The device's clock starts at 1_700_000_000_000; the gateway's is a minute behind.
    await askAndAnswer(w, "skewed", 1_700_000_000_000 - 60_000);
    expect((await unread(w))?.count).toBe(1);
  });

  it("the read position only moves forward", async () => {
    const w = await testWorkspace();
    await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, upTo: 500 });
    expect(await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session, upTo: 400 })).toBe(false);
    expect(readUpToOf(await entryOf(w))).toBe(500);
    expect(sessionsOf((await w.store.find<ChannelDoc>(w.channelDoc)).doc())[0]?.readUpTo).toBe(500);
  });

  it("an empty session has nothing to read; a deleted one refuses", async () => {
    const w = await testWorkspace();
    expect(await unread(w)).toEqual({ count: 0, newest: -Infinity });
    expect(await markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: w.session })).toBe(false);
    await expect(markSessionRead(w.store, w.me, { channelDoc: w.channelDoc, session: "nope" as SessionId })).rejects.toMatchObject({ code: "not-found" });
  });

  it("answers undefined while a page it needs is not here", async () => {
    const w = await testWorkspace();
    await askAndAnswer(w, "x");
    expect(unreadOf(await entryOf(w), () => undefined)).toBeUndefined();
  });

  it("reads on two devices at once merge as a max register, whichever device's write Automerge picks", () => {
    for (const [low, high] of [
      ["aaaa", "bbbb"],
      ["bbbb", "aaaa"],
    ] as const) {
      const base = from<{ s: Record<string, { readUpTo?: number; pages: Record<string, unknown> }> }>({ s: { x: { pages: {} } } });
      const a = change(clone(base, { actor: `${low}`.repeat(8) }), (d) => {
        d.s["x"]!.readUpTo = 900;
      });
      const b = change(clone(base, { actor: `${high}`.repeat(8) }), (d) => {
        d.s["x"]!.readUpTo = 100;
      });
      for (const merged of [merge(clone(a), b), merge(clone(b), a)]) {
        expect(readUpToOf(merged.s["x"] as unknown as SessionEntry)).toBe(900);
      }
    }
  });

  it("a second device's read clears the first device's unread once they sync", async () => {
    const w = await testWorkspace();
    await askAndAnswer(w, "hello", 1_800_000_000_000);
    const newest = (await unread(w))!.newest;
    const channel = await w.store.find<ChannelDoc>(w.channelDoc);
    // The other device's copy of the channel, written apart and merged back.
    const other = clone(channel.doc(), { actor: "cccccccc".repeat(4) });
    const theirs = change(other, (c) => {
      c.sessions[w.session]!.readUpTo = newest;
    });
    channel.update((mine) => merge(mine, theirs));
    expect((await unread(w))?.count).toBe(0);
    // An older read from this device afterwards does not bring it back.
    await markSessionRead(w.store, testDevice(2), { channelDoc: w.channelDoc, session: w.session, upTo: 5 });
    expect((await unread(w))?.count).toBe(0);
  });
});
