import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import type { DocHandle } from "@automerge/automerge-repo";
import { duplicateChanges, storedEntries as stored } from "./relayLog.js";
import { ConnectionState, LockReason } from "../src/sync/ConnectionState.js";
import { isLive, until } from "./peers.js";
import { RELAYS } from "./relays.js";

interface Notes {
  items: Record<string, { text: string; by: string }>;
  title?: string;
}

describe.each(RELAYS)("sync engine through %s", (_name, fixture) => {
  const fx = fixture();
  const peer = fx.peer;

  it("creates the vault on the first device, adopts it on the second, and carries a document across", async () => {
    const { token } = await fx.register();
    const a = await peer(token);
    expect(a.engine.getStatus()).toMatchObject({ state: ConnectionState.locked, lock: LockReason.needsPassphrase });
    const seen: { state: string; lock?: string }[] = [];
    a.engine.on("status", (st) => seen.push({ state: st.state, ...(st.lock ? { lock: st.lock } : {}) }));
    await a.engine.unlock("correct horse battery staple");
    await until(() => isLive(a), "first device live");
    // "locked" always says why: a UI never sees a locked state the unlock left behind.
    expect(seen.filter((st) => st.state === ConnectionState.locked && st.lock === undefined)).toEqual([]);
    const doc = a.engine.create<Notes>({ items: {} });
    doc.change((d) => {
      d.items["1"] = { text: "hello", by: "a" };
    });
    await a.engine.whenIdle();

    const b = await peer(token);
    await b.engine.unlock("correct horse battery staple");
    await until(() => isLive(b) && b.engine.has(doc.documentId), "second device has the document");
    const onB = await b.engine.find<Notes>(doc.documentId);
    expect(onB.doc()?.items["1"]?.text).toBe("hello");
  });

  it("converges concurrent edits made on two devices", async () => {
    const { token } = await fx.register();
    const a = await peer(token);
    await a.engine.unlock("pass phrase");
    const b = await peer(token);
    await b.engine.unlock("pass phrase");
    await until(() => isLive(a) && isLive(b), "both live");
    const docA = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    await until(() => b.engine.has(docA.documentId), "b sees the doc");
    const docB = await b.engine.find<Notes>(docA.documentId);
    for (let i = 0; i < 20; i++) {
      docA.change((d) => {
        d.items[`a${i}`] = { text: `from a ${i}`, by: "a" };
        d.title = `a${i}`;
      });
      docB.change((d) => {
        d.items[`b${i}`] = { text: `from b ${i}`, by: "b" };
        d.title = `b${i}`;
      });
    }
    await Promise.all([a.engine.whenIdle(), b.engine.whenIdle()]);
    const heads = (h: DocHandle<Notes>) => A.getHeads(h.doc()!).sort().join();
    await until(() => heads(docA) === heads(docB) && Object.keys(docA.doc()!.items).length === 40, "convergence");
    expect(docB.doc()).toEqual(docA.doc());
    expect(Object.keys(docB.doc()!.items)).toHaveLength(40);
  });

  it("refuses a wrong passphrase with wrong-passphrase and writes nothing to the relay", async () => {
    const { token } = await fx.register();
    const a = await peer(token);
    await a.engine.unlock("the right one");
    a.engine.create<Notes>({ items: { x: { text: "x", by: "a" } } });
    await a.engine.whenIdle();
    const before = await stored(fx, token);

    const b = await peer(token);
    const status = await b.engine.unlock("the wrong one");
    expect(status).toMatchObject({ state: ConnectionState.locked, lock: LockReason.wrongPassphrase });
    b.engine.create<Notes>({ items: { y: { text: "never sent", by: "b" } } });
    // Give a locked engine every chance to misbehave: its debounce passes, it stays locked.
    await new Promise((r) => setTimeout(r, 200));
    expect(b.engine.getStatus().state).toBe(ConnectionState.locked);
    expect(await stored(fx, token)).toBe(before);
  });

  it("delivers changes made offline exactly once after a restart", async () => {
    const { token } = await fx.register();
    const a = await peer(token);
    await a.engine.unlock("offline pass");
    await until(() => isLive(a), "a live");
    const doc = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();

    const b = await peer(token);
    await b.engine.unlock("offline pass");
    await until(() => b.engine.has(doc.documentId), "b has the doc");

    a.engine.disconnect();
    for (let i = 0; i < 5; i++) {
      doc.change((d) => {
        d.items[`off${i}`] = { text: `offline ${i}`, by: "a" };
      });
    }
    // Persist the outbox, then "crash" before anything is sent: a new engine on the same storage.
    const a2 = fx.track(await a.restart());
    await a2.engine.unlock("offline pass");
    await a2.engine.whenIdle();
    const onB = await b.engine.find<Notes>(doc.documentId);
    await until(() => Object.keys(onB.doc()?.items ?? {}).length === 5, "b sees the offline changes");
    // Exactly once: every stored update brings changes no earlier entry had.
    expect(await duplicateChanges(fx, token, "offline pass")).toEqual([]);
    const c = await peer(token);
    await c.engine.unlock("offline pass");
    await until(() => isLive(c), "c live");
    const onC = (await c.engine.find<Notes>(doc.documentId)) as DocHandle<Notes>;
    expect(Object.keys(onC.doc()!.items).sort()).toEqual(["off0", "off1", "off2", "off3", "off4"]);
  });

  it("compacts a document written by one device alone while it stays live (N16 acks move covers)", async () => {
    const { token } = await fx.register();
    const a = await peer(token, { snapshotAfterUpdates: 5, snapshotMinBytes: 1 });
    await a.engine.unlock("lone writer");
    await until(() => isLive(a), "a live");
    const doc = a.engine.create<Notes>({ items: {} });
    for (let i = 0; i < 30; i++) {
      doc.change((d) => {
        d.items[`n${i}`] = { text: `note ${i}`, by: "a" };
      });
      await a.engine.whenIdle();
    }
    const { entries } = await fx.readLog(token);
    // 31 appends went out (the creation and 30 edits, some as snapshots); most are compacted away.
    expect(entries.length).toBeLessThan(10);
    expect(entries.some((e) => e.kind === "snapshot")).toBe(true);
    const b = await peer(token);
    await b.engine.unlock("lone writer");
    await until(() => b.engine.has(doc.documentId), "b has the doc");
    const onB = await b.engine.find<Notes>(doc.documentId);
    await until(() => Object.keys(onB.doc()?.items ?? {}).length === 30, "b has all 30 notes");
  });
});
