import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import { streamIdFor } from "@botschat/crypto";
import type { EnvelopeDocId } from "@botschat/protocol";
import { keysOf } from "./relayLog.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { isLive, until, type TestPeer } from "./peers.js";
import { prng } from "./prng.js";

interface Notes {
  items: Record<string, string>;
}

const fx = memoryRelayFixture();
const rnd = prng(7);
/** Text that compresses about as well as chat does (not a repeated phrase deflate folds away). */
const words = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 36 ** 5).toString(36)).join(" ");
const snapshotsOf = (p: TestPeer, id: string): number => p.logs.filter((l) => l.msg.startsWith(`snapshot of ${id}:`)).length;

/** What the relay stores for one document's stream: entries and body bytes. */
async function storedFor(token: string, passphrase: string, id: string): Promise<{ entries: number; bytes: number; kinds: string[] }> {
  const { vault, entries } = await fx.readLog(token);
  const stream = Buffer.from(streamIdFor(keysOf(vault, passphrase), id as unknown as EnvelopeDocId)).toString("hex");
  const mine = entries.filter((e) => Buffer.from(e.stream).toString("hex") === stream);
  return { entries: mine.length, bytes: mine.reduce((n, e) => n + e.body.length, 0), kinds: mine.map((e) => e.kind) };
}

describe("compaction of documents on the relay", () => {
  it("[S1] a document that goes quiet is compacted: the relay keeps one snapshot within 1.1× of its Automerge save", async () => {
    const { token } = await fx.register();
    // No snapshot while writing: every update stays on the relay until the document is quiet.
    const a = await fx.peer(token, { compactQuietMs: 150, snapshotMinBytes: 1e9, snapshotAfterUpdates: 10_000 });
    await a.engine.unlock("quiet pass");
    await until(() => isLive(a), "a live");
    const doc = a.engine.create<Notes>({ items: {} });
    for (let i = 0; i < 12; i++) {
      doc.change((d) => {
        for (let j = 0; j < 5; j++) d.items[`n${i}.${j}`] = words(30);
      });
      await a.engine.whenIdle();
    }
    // (On a slow machine the document may also go quiet between two of the changes.)
    let stored = await storedFor(token, "quiet pass", doc.documentId);
    for (let seen = 0; stored.kinds.join() !== "snapshot";) {
      await until(() => snapshotsOf(a, doc.documentId) > seen, "a snapshot once the document is quiet");
      seen = snapshotsOf(a, doc.documentId);
      await a.engine.whenIdle();
      stored = await storedFor(token, "quiet pass", doc.documentId);
    }
    expect(stored.kinds).toEqual(["snapshot"]);
    expect(stored.bytes / A.save(doc.doc() as A.Doc<Notes>).length).toBeLessThanOrEqual(1.1);
  });

  it("[S1] after catching up, only the device that wrote most of a document's updates writes its snapshot", async () => {
    const { token } = await fx.register();
    // No snapshot while writing and no quiet timer: only the catch-up decides here.
    const opts = { snapshotMinBytes: 1e9, snapshotAfterUpdates: 10_000, compactQuietMs: 600_000 };
    const a = await fx.peer(token, opts);
    await a.engine.unlock("catch-up pass");
    const b = await fx.peer(token, opts);
    await b.engine.unlock("catch-up pass");
    await until(() => isLive(a) && isLive(b), "both live");
    const onA = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    await until(() => b.engine.has(onA.documentId), "b has the document");
    const onB = await b.engine.find<Notes>(onA.documentId);
    onB.change((d) => {
      d.items["from-b"] = "one short note";
    });
    await b.engine.whenIdle();
    for (let i = 0; i < 8; i++) {
      onA.change((d) => {
        d.items[`a${i}`] = `a longer note from a, number ${i} `.repeat(10);
      });
      await a.engine.whenIdle();
    }
    await until(() => Object.keys(onB.doc()?.items ?? {}).length === 9, "b has every note");
    expect(snapshotsOf(a, onA.documentId) + snapshotsOf(b, onA.documentId)).toBe(0);

    for (const p of [a, b]) {
      p.engine.disconnect();
      p.engine.reconnectNow();
    }
    await until(() => isLive(a) && isLive(b), "both live again");
    await a.engine.whenIdle();
    await b.engine.whenIdle();
    expect(snapshotsOf(a, onA.documentId)).toBe(1);
    expect(snapshotsOf(b, onA.documentId)).toBe(0);
    expect((await storedFor(token, "catch-up pass", onA.documentId)).kinds).toEqual(["snapshot"]);
  });
});
