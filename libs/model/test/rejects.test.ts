import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import type { EnvelopeDocId } from "@botschat/protocol";
import { sealEntry, streamIdFor } from "@botschat/crypto";
import { newAppendId, randomBody, sameBytes } from "@botschat/relay-testkit";
import { MemoryPeerStorage } from "../src/storage/MemoryPeerStorage.js";
import { LogCategory } from "../src/sync/SyncLog.js";
import { isLive, until, type TestPeer } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { keysOf } from "./relayLog.js";

interface Notes {
  items: Record<string, string>;
}

const fx = memoryRelayFixture();

/** Appends raw entries with the user's token, as a compromised relay or a buggy peer could. */
async function appendRaw(token: string, entries: { stream: Uint8Array; kind: "update" | "snapshot"; body: Uint8Array; covers?: number }[]): Promise<number[]> {
  const client = await fx.rawClient();
  await client.hello(token, 1_000_000_000);
  const seqs: number[] = [];
  for (const e of entries) {
    const id = newAppendId("raw");
    client.send({ t: "append", id, ...e });
    const ack = await client.next((f) => (f.t === "ack" && f.id === id) || f.t === "error");
    if (ack.t !== "ack") throw new Error(`raw append refused: ${JSON.stringify(ack)}`);
    seqs.push(ack.seq);
  }
  client.close();
  return seqs;
}

const rejections = (p: TestPeer) => p.logs.filter((l) => (l.cat === LogCategory.warn || l.cat === LogCategory.error) && /rejected entry/.test(l.msg));

describe("[K5] entries a peer must refuse", () => {
  it("a tampered entry and an entry replayed into another stream are rejected, logged, and everything else still syncs", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock("k5 pass");
    const b = await fx.peer(token);
    await b.engine.unlock("k5 pass");
    await until(() => isLive(a) && isLive(b), "both live");
    const x = a.engine.create<Notes>({ items: { first: "x" } });
    const y = a.engine.create<Notes>({ items: { first: "y" } });
    await a.engine.whenIdle();
    await until(() => b.engine.has(x.documentId) && b.engine.has(y.documentId), "b has both");

    const log = await fx.readLog(token);
    const keys = keysOf(log.vault, "k5 pass");
    const streamX = streamIdFor(keys, x.documentId as unknown as EnvelopeDocId);
    const streamY = streamIdFor(keys, y.documentId as unknown as EnvelopeDocId);
    const entryOfX = log.entries.find((e) => sameBytes(e.stream, streamX))!;
    const flipped = entryOfX.body.slice();
    flipped[flipped.length - 1]! ^= 0x01;
    const bad = await appendRaw(token, [
      { stream: streamX, kind: "update", body: randomBody(300) }, // garbage on a real stream
      { stream: streamX, kind: "update", body: flipped }, // one flipped bit
      { stream: streamY, kind: "update", body: entryOfX.body }, // x's entry replayed into y's stream
    ]);
    await until(() => rejections(b).length >= 3, "b rejected the three entries");
    expect(
      rejections(b)
        .map((l) => l.msg)
        .join("\n"),
    ).toContain(String(bad[2]));

    // Everything else still syncs, live and for a new device.
    x.change((d) => {
      d.items["after"] = "still flowing";
    });
    await a.engine.whenIdle();
    const onB = await b.engine.find<Notes>(x.documentId);
    await until(() => onB.doc().items["after"] === "still flowing", "b got the later change");
    expect((await b.engine.find<Notes>(y.documentId)).doc().items).toEqual({ first: "y" });

    const c = await fx.peer(token);
    await c.engine.unlock("k5 pass");
    await until(() => isLive(c), "new device live");
    expect(rejections(c)).toHaveLength(3);
    expect((await c.engine.find<Notes>(x.documentId)).doc().items).toEqual({ first: "x", after: "still flowing" });
    expect((await c.engine.find<Notes>(y.documentId)).doc().items).toEqual({ first: "y" });
  });

  it("[S2] an update that arrives before the snapshot holding its history waits for it, and a restart in between loses nothing", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock("orphan pass");
    await until(() => isLive(a), "a live");
    await a.engine.whenIdle();
    const { vault } = await fx.readLog(token);
    const keys = keysOf(vault, "orphan pass");

    // Build a document's history by hand: base, then an update on top of it.
    const handle = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    const id = handle.documentId;
    const doc = id as unknown as EnvelopeDocId;
    const stream = streamIdFor(keys, doc);
    let d = A.clone(handle.doc());
    const base = A.getHeads(d);
    d = A.change(d, (n) => {
      n.items["late"] = "built on history";
    });
    const update = A.saveSince(d, base);
    // The relay holds the update first, then a snapshot of everything (as when another writer's
    // update lands between a snapshot's covers and the snapshot itself).
    const { head } = await fx.readLog(token);

    // b has applied the log up to `head` but does not hold this document (as if it had been
    // compacted away before b came): the update arrives on its own and cannot apply yet.
    const storage = new MemoryPeerStorage();
    await storage.commit({ cursor: head });
    const b = await fx.peer(token, { storage });
    await b.engine.unlock("orphan pass");
    const sealed = (kind: "update" | "snapshot", data: Uint8Array) => sealEntry(keys, { stream, kind, doc, data });
    const [updateSeq] = await appendRaw(token, [{ stream, kind: "update", body: sealed("update", update) }]);
    await until(() => b.logs.some((l) => l.msg.includes("waits for earlier history")), "b keeps the update aside");
    await until(() => b.engine.getStatus().progress.cursor >= updateSeq!, "b moved past the update");
    expect(b.engine.has(id)).toBe(false);
    // Its durable cursor stays before the update, so a restart receives it again.
    expect((await storage.loadSync()).cursor).toBeLessThan(updateSeq!);
    const b2 = fx.track(await b.restart());
    await b2.engine.unlock("orphan pass");

    // Then the snapshot of everything (covering what b had applied) arrives.
    await appendRaw(token, [{ stream, kind: "snapshot", body: sealed("snapshot", A.save(d)), covers: head }]);
    await until(() => b2.engine.has(id), "b has the document").catch((e: unknown) => {
      throw new Error(`${String(e)}; log: ${b2.logs.map((l) => `${l.cat} ${l.msg}`).join(" | ")}`);
    });
    expect((await b2.engine.find<Notes>(id)).doc().items).toEqual({ late: "built on history" });
    expect(b2.logs.some((l) => l.cat === LogCategory.error)).toBe(false);
  });
});
