import { describe, expect, it } from "vitest";
import * as A from "@automerge/automerge";
import type { DocHandle } from "@automerge/automerge-repo";
import { isLive, until } from "./peers.js";
import { memoryRelayFixture } from "./memoryRelayFixture.js";
import { duplicateChanges } from "./relayLog.js";
import { workspaceState } from "./workspaceState.js";

interface Notes {
  items: Record<string, number>;
}

const fx = memoryRelayFixture();
const PASS = "lazy pass";

describe("catch-up opens no document nobody asked for", () => {
  it("a new device stores what it catches up without loading it; loaded later (after a restart too) it shows everything and sends nothing back", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock(PASS);
    await until(() => isLive(a), "a live");
    const x = a.engine.create<Notes>({ items: { first: 1 } });
    const y = a.engine.create<Notes>({ items: { other: 1 } });
    await a.engine.whenIdle();

    const b = await fx.peer(token);
    await b.engine.unlock(PASS);
    await until(() => isLive(b) && b.engine.has(x.documentId) && b.engine.has(y.documentId), "b caught up");
    // Caught up, but not opened.
    expect(b.engine.repo.handles[x.documentId]).toBeUndefined();
    expect(b.engine.repo.handles[y.documentId]).toBeUndefined();

    // Live entries for a document b has not opened go to storage too.
    for (let i = 0; i < 5; i++) {
      x.change((d) => {
        d.items[`live${i}`] = i;
      });
      await a.engine.whenIdle();
    }
    await until(() => b.engine.getStatus().progress.cursor >= a.engine.getStatus().progress.cursor, "b applied a's entries");
    expect(b.engine.repo.handles[x.documentId]).toBeUndefined();

    // A restart keeps the mark: on load the stored entries are known to be on the relay already.
    const b2 = fx.track(await b.restart());
    await b2.engine.unlock(PASS);
    await until(() => isLive(b2), "b2 live");
    const onB = await b2.engine.find<Notes>(x.documentId);
    expect(onB.doc().items).toEqual(x.doc().items);
    await b2.engine.whenIdle();
    expect(b2.engine.getStatus().pending).toBe(0);
    expect(b2.logs.some((l) => l.msg.startsWith("→ append"))).toBe(false);
    expect(await duplicateChanges(fx, token, PASS)).toEqual([]);

    // Once loaded, it syncs both ways as any document does.
    onB.change((d) => {
      d.items["from b"] = 2;
    });
    await b2.engine.whenIdle();
    await until(() => x.doc().items["from b"] === 2, "a got b's change");
    expect(await workspaceState(b2.engine)).toEqual(await workspaceState(a.engine));

    // A tombstone removes what was stored for a document never loaded.
    await a.engine.tombstone(y.documentId);
    await a.engine.whenIdle();
    await until(() => !b2.engine.has(y.documentId), "b2 saw the tombstone");
    expect(await b2.storage.loadRange([y.documentId])).toEqual([]);
    expect(await duplicateChanges(fx, token, PASS)).toEqual([]);
  });

  it("a document nobody opens keeps few stored chunks (they are merged), remote events say it is not loaded, and it loads complete", async () => {
    const { token } = await fx.register();
    // No snapshots: each of a's changes reaches b as one update entry.
    const quiet = { snapshotMinBytes: 1e9, snapshotAfterUpdates: 10_000, compactQuietMs: 600_000 };
    const a = await fx.peer(token, quiet);
    await a.engine.unlock(PASS);
    await until(() => isLive(a), "a live");
    const x = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    const b = await fx.peer(token, { ...quiet, mergeStoredChunksAfter: 8 });
    await b.engine.unlock(PASS);
    await until(() => isLive(b) && b.engine.has(x.documentId), "b caught up");
    const events: { loaded: boolean; deleted: boolean }[] = [];
    b.engine.on("remote", (id, info) => {
      if (id === x.documentId) events.push(info);
    });

    for (let i = 0; i < 40; i++) {
      x.change((d) => {
        d.items[`n${i}`] = i;
      });
      await a.engine.whenIdle();
    }
    await until(() => events.length === 40, "b received the 40 entries");
    await b.engine.whenIdle();
    expect(events.every((e) => !e.loaded && !e.deleted)).toBe(true);
    expect(b.engine.repo.handles[x.documentId]).toBeUndefined();
    const chunks = (await b.storage.loadRange([x.documentId])).length;
    expect(chunks).toBeLessThanOrEqual(8);
    expect(b.logs.some((l) => l.msg.startsWith(`merged the stored chunks of ${x.documentId}`))).toBe(true);

    const onB = await b.engine.find<Notes>(x.documentId);
    expect(onB.doc().items).toEqual(x.doc().items);
    x.change((d) => {
      d.items.last = 40;
    });
    await a.engine.whenIdle();
    await until(() => events.length === 41, "b received one more");
    expect(events.at(-1)).toEqual({ loaded: true, deleted: false });
    await a.engine.tombstone(x.documentId);
    await until(() => events.length === 42, "b saw the tombstone");
    expect(events.at(-1)).toEqual({ loaded: false, deleted: true });
    expect(await duplicateChanges(fx, token, PASS)).toEqual([]);
  });

  it("a document let go of keeps its content in storage (the Repo does not save the emptied handle over it), and loads with it", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock(PASS);
    await until(() => isLive(a), "a live");
    const docs = Array.from({ length: 5 }, (_, i) => a.engine.create<Notes>({ items: { [`first${i}`]: i } }));
    for (const d of docs) {
      d.change((n) => {
        n.items.second = 2;
      });
    }
    await a.engine.whenIdle();
    // Unloading empties a handle; the Repo must not save that empty document over the real one.
    for (const d of docs) expect(await a.engine.release(d.documentId)).toBe(true);
    await a.engine.whenIdle();
    // What is checked is that a save never comes: wait out the Repo's save throttle (100 ms), in
    // which a save it scheduled on unload would run.
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, d] of docs.entries()) {
      const stored = (await a.storage.loadRange([d.documentId])).filter((c) => c.key[1] !== "sync-state");
      const fromStorage = stored.reduce((doc, c) => A.loadIncremental(doc, c.data!), A.init<Notes>());
      expect(fromStorage.items).toEqual({ [`first${i}`]: i, second: 2 });
      expect((await a.engine.find<Notes>(d.documentId)).doc().items).toEqual({ [`first${i}`]: i, second: 2 });
    }
  });

  it("release lets go of a clean document's handle, never of one with unsent changes; entries for it are stored and a later find shows them", async () => {
    const { token } = await fx.register();
    const a = await fx.peer(token);
    await a.engine.unlock(PASS);
    const b = await fx.peer(token);
    await b.engine.unlock(PASS);
    await until(() => isLive(a) && isLive(b), "both live");
    const x = a.engine.create<Notes>({ items: {} });
    await a.engine.whenIdle();
    await until(() => b.engine.has(x.documentId), "b has x");
    const onB = await b.engine.find<Notes>(x.documentId);

    b.engine.disconnect();
    onB.change((d) => {
      d.items["unsent"] = 1;
    });
    expect(await b.engine.release(x.documentId)).toBe(false);
    b.engine.reconnectNow();
    await until(() => isLive(b), "b live again");
    await b.engine.whenIdle();
    await until(() => x.doc().items["unsent"] === 1, "a got b's change");

    expect(await b.engine.release(x.documentId)).toBe(true);
    expect(b.engine.repo.handles[x.documentId]).toBeUndefined();
    x.change((d) => {
      d.items["while released"] = 2;
    });
    await a.engine.whenIdle();
    // Up to the relay's head: a's entry is stored on b (its document not loaded there).
    const head = fx.relay.logOf(token).head;
    await until(() => b.engine.getStatus().progress.cursor >= head, "b applied a's entry");
    expect(b.engine.repo.handles[x.documentId]).toBeUndefined();
    const again = await b.engine.find<Notes>(x.documentId);
    expect(again.doc().items).toEqual({ unsent: 1, "while released": 2 });
    await b.engine.whenIdle();
    expect(await duplicateChanges(fx, token, PASS)).toEqual([]);
  });

  it("a document opened while catch-up is still storing its entries ends up with every one of them", async () => {
    const { token } = await fx.register();
    const noSnapshots = { snapshotAfterUpdates: 1_000_000, snapshotMinBytes: 1 << 30 };
    const a = await fx.peer(token, noSnapshots);
    await a.engine.unlock(PASS);
    await until(() => isLive(a), "a live");
    const x = a.engine.create<Notes>({ items: {} });
    for (let i = 0; i < 60; i++) {
      x.change((d) => {
        d.items[`n${i}`] = i;
      });
      await a.engine.whenIdle();
    }

    const c = await fx.peer(token, noSnapshots);
    // Open it the moment it arrives, while later entries for it are still coming.
    let opening: Promise<DocHandle<Notes>> | undefined;
    let appliedThen = -1;
    c.engine.on("remote", (id) => {
      if (id !== x.documentId || opening) return;
      appliedThen = c.engine.getStatus().progress.applied;
      opening = c.engine.find<Notes>(id);
    });
    await c.engine.unlock(PASS);
    await until(() => isLive(c) && opening !== undefined, "c live");
    const onC = await opening!;
    expect(appliedThen).toBeLessThan(10);
    expect(Object.keys(onC.doc().items)).toHaveLength(60);
    await c.engine.whenIdle();
    expect(c.logs.some((l) => l.msg.startsWith("→ append"))).toBe(false);
  });
});
